{#-
    On incremental runs, keep the rows to rebuild: those dated within var lookback_days of the newest date
    already in the model (the loader's lag window, sources.mysql.lag_days), and those whose source rows dlt
    loaded after the newest load already in the model (updates the loader caught outside the window, e.g. by
    binlog CDC). Rows outside both sets are unchanged at the source, so the result equals a full refresh.
    An empty model (built when the source had no rows yet) has no newest date or load: both bounds then fall
    back to var scd_beginning_of_time, so the next run takes every row instead of none.
-#}
{% macro incremental_lookback_filter(date_column, loaded_at_column='loaded_at') -%}
    {%- if is_incremental() %}
        where {{ incremental_lookback_condition(date_column, loaded_at_column) }}
    {%- endif %}
{%- endmacro %}

{#-
    The condition of incremental_lookback_filter on its own, for a source CTE: the row's date_column is inside
    the lookback window or its loaded_at_column is newer than the newest load in the model. Both columns are
    read from the source row and, for the bounds, from the model ({{ this }}) under the same names.
-#}
{% macro incremental_lookback_condition(date_column, loaded_at_column='loaded_at') -%}
    {{ date_column }} >= {{ incremental_lookback_start(date_column) }}
    or {{ loaded_at_column }} > {{ incremental_loaded_since(loaded_at_column) }}
{%- endmacro %}

{#- First date of the lookback window: the newest date_column in the model − var lookback_days (a scalar subquery). -#}
{% macro incremental_lookback_start(date_column) -%}
    (
        select
            coalesce(max({{ date_column }}), cast('{{ var("scd_beginning_of_time") }}' as date))
            - to_days(cast({{ var('lookback_days') }} as integer))
        from {{ this }}
    )
{%- endmacro %}

{#- The newest load already in the model (a scalar subquery); rows loaded after it are rebuilt. -#}
{% macro incremental_loaded_since(loaded_at_column='loaded_at') -%}
    (
        select coalesce(
            max({{ loaded_at_column }}), cast('{{ var("scd_beginning_of_time") }}' as timestamp with time zone)
        )
        from {{ this }}
    )
{%- endmacro %}

{#-
    Post-hook of an incremental fact: delete the rows whose key is gone from the source relation (a hard delete
    the loader propagated), which delete+insert alone would keep but a full refresh would not.
-#}
{% macro delete_rows_missing_from(source_relation, key_columns) -%}
    delete from {{ this }} as target
    where not exists (
        select 1 from {{ source_relation }} as source_rows
        where
            {% for column in key_columns -%}
                source_rows.{{ column }} = target.{{ column }}{% if not loop.last %} and {% endif %}
            {%- endfor %}
    )
{%- endmacro %}
