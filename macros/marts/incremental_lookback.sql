{#-
    On incremental runs, keep the rows to rebuild: those dated within var lookback_days of the newest date
    already in the model (the loader's lag window, sources.mysql.lag_days), and those whose source rows dlt
    loaded after the newest load already in the model (updates the loader caught outside the window, e.g. by
    binlog CDC). Rows outside both sets are unchanged at the source, so the result equals a full refresh.
-#}
{% macro incremental_lookback_filter(date_column, loaded_at_column='loaded_at') -%}
    {%- if is_incremental() %}
        where
            {{ date_column }} >= (
                select max({{ date_column }}) - to_days(cast({{ var('lookback_days') }} as integer))
                from {{ this }}
            )
            or {{ loaded_at_column }} > (select max({{ loaded_at_column }}) from {{ this }})
    {%- endif %}
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
