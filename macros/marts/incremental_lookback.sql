{#-
    On incremental runs, keep the rows dated within var lookback_days of the newest date already in the model:
    the window the loader re-reads (sources.mysql.lag_days), so late changes inside it are rebuilt.
-#}
{% macro incremental_lookback_filter(date_column) -%}
    {%- if is_incremental() %}
        where {{ date_column }} >= (
            select max({{ date_column }}) - to_days(cast({{ var('lookback_days') }} as integer)) from {{ this }}
        )
    {%- endif %}
{%- endmacro %}
