{#- dlt's load id is the load's start as epoch seconds in text: turn it into a UTC timestamp. -#}
{% macro dlt_loaded_at(load_id_column) -%}
    {{ return(adapter.dispatch('dlt_loaded_at', 'commerce_dw')(load_id_column)) }}
{%- endmacro %}

{% macro default__dlt_loaded_at(load_id_column) -%}
    to_timestamp(cast({{ load_id_column }} as double))
{%- endmacro %}

{% macro spark__dlt_loaded_at(load_id_column) -%}
    timestamp_seconds(cast({{ load_id_column }} as double))
{%- endmacro %}
