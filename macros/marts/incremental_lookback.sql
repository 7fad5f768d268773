{#-
    The rows an incremental run of fct_order_lines rebuilds: dated within var lookback_days of the newest date
    already in the model (the loader's lag window), or loaded by dlt after the newest load already in the model
    (changes the loader caught outside the window, e.g. by binlog CDC). Both columns are read from the source
    row and, for the bounds, from the model ({{ this }}) under the same names.
-#}
{% macro incremental_lookback_condition(date_column, loaded_at_column='loaded_at') -%}
    {{ date_column }} >= {{ incremental_lookback_start(date_column) }}
    or {{ loaded_at_column }} > {{ incremental_loaded_since(loaded_at_column) }}
{%- endmacro %}

{#-
    First date of the lookback window: the newest date_column in the model − var lookback_days (a scalar
    subquery). A model built empty has no newest date: the bound falls back to var scd_beginning_of_time, so
    the next run takes every row instead of none.
-#}
{% macro incremental_lookback_start(date_column) -%}
    (
        select
            {{ add_days(
                -1 * (var('lookback_days') | int),
                "coalesce(max(" ~ date_column ~ "), cast('" ~ var('scd_beginning_of_time') ~ "' as date))"
            ) }}
        from {{ this }}
    )
{%- endmacro %}

{#- The newest load already in the model (a scalar subquery); rows loaded after it are rebuilt. -#}
{% macro incremental_loaded_since(loaded_at_column='loaded_at') -%}
    (
        select coalesce(
            max({{ loaded_at_column }}), cast('{{ var("scd_beginning_of_time") }}' as {{ dbt.type_timestamp() }})
        )
        from {{ this }}
    )
{%- endmacro %}

{#-
    Pre-hook of an incremental fact: on an incremental run, delete the rows whose key is gone from the source
    relation (a hard delete the loader propagated), which the merge alone would keep but a full refresh would not.
    Before the merge (in the same transaction on DuckDB; Spark has none, and the delete is idempotent), which only
    writes keys the source has. A first build or a full refresh writes only source keys: nothing to delete, so no
    scan. Macro fail_if_raw_lost_rows runs before this, so every key deleted here is a logged delete.
-#}
{% macro delete_rows_missing_from(source_relation, key_columns) -%}
    {%- if is_incremental() %}
        delete from {{ this }} as target
        where not exists (
            select 1 from {{ source_relation }} as source_rows
            where
                {% for column in key_columns -%}
                    source_rows.{{ column }} = target.{{ column }}{% if not loop.last %} and {% endif %}
                {%- endfor %}
        )
    {%- endif %}
{%- endmacro %}
