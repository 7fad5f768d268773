{#-
    One row per day from start_date to end_date inclusive, as column date_day. Both bounds are SQL
    expressions (literals, columns or scalar subqueries), so the spine can follow the data.
-#}
{% macro date_spine(start_date, end_date) -%}
    {{ return(adapter.dispatch('date_spine', 'commerce_dw')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__date_spine(start_date, end_date) -%}
    select cast(unnest(generate_series(
        cast({{ start_date }} as date),
        cast({{ end_date }} as date),
        interval 1 day
    )) as date) as date_day
{%- endmacro %}

{% macro spark__date_spine(start_date, end_date) -%}
    select explode(sequence(
        cast({{ start_date }} as date),
        cast({{ end_date }} as date),
        interval 1 day
    )) as date_day
{%- endmacro %}
