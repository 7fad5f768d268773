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
    The search (an anti-join of the whole fact with the whole source, ~1 s at 10M order lines) runs only when the
    two row counts differ. Each fact holds one row per source key (delete+insert on that key, the source's key
    tested unique), and every source row gets its fact row: so a key gone from the source leaves the fact longer
    than the source, and equal counts mean none is gone. One exception: fct_order_lines has no row for a line
    whose order is not loaded, which assert_marts_order_count_reconciles_with_raw reports; only such a line
    together with a line deleted in the same load would balance the counts (neither test would see it: CDC loads
    whole transactions, so a line comes with its order; cursor mode does not see deletes).
-#}
{% macro delete_rows_missing_from(source_relation, key_columns) -%}
    {%- set counts_differ = true %}
    {%- if execute %}
        {%- set counts = run_query(
            "select (select count(*) from " ~ this ~ ") != (select count(*) from " ~ source_relation ~ ")"
        ) %}
        {%- set counts_differ = counts.columns[0].values()[0] %}
    {%- endif %}
    {%- if counts_differ %}
        delete from {{ this }} as target
        where not exists (
            select 1 from {{ source_relation }} as source_rows
            where
                {% for column in key_columns -%}
                    source_rows.{{ column }} = target.{{ column }}{% if not loop.last %} and {% endif %}
                {%- endfor %}
        )
    {%- else %}
        select 'no key gone from {{ source_relation }}: same row count' as skipped
    {%- endif %}
{%- endmacro %}

{#-
    Post-hook of agg_sales_daily (incremental by whole days): delete the days that no longer have an order line
    in fct_order_lines (all their lines deleted at the source or moved to another day), which the rebuild of
    the changed days alone would keep but a full refresh would not.
-#}
{% macro delete_days_without_order_lines() -%}
    delete from {{ this }} as target
    where not exists (
        select 1 from {{ ref('fct_order_lines') }} as order_lines
        where order_lines.order_date = target.sales_date
    )
{%- endmacro %}

{#-
    The start of this dbt invocation (UTC), the same in every node: the built_at of the rows a model writes, so
    its key tests can look at the rows of the latest build only (macro test unique_combination_of_columns).
-#}
{% macro dbt_built_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}+00' as timestamp with time zone)
{%- endmacro %}

{#-
    Post-hook of fct_customer_balances (incremental by whole customers): delete the customers left without any
    movement (their billed orders and payments all deleted or no longer billed), which the rebuild of the
    changed customers alone would keep but a full refresh would not.
-#}
{% macro delete_customers_without_movements() -%}
    delete from {{ this }} as target
    where
        not exists (
            select 1 from {{ ref('fct_payments') }} as payments
            where payments.customer_number = target.customer_number
        )
        and not exists (
            select 1 from {{ ref('fct_orders') }} as orders
            where
                orders.customer_number = target.customer_number
                and orders.order_status in {{ sql_list(var('billed_order_statuses')) }}
                and orders.shipped_date is not null
        )
{%- endmacro %}

{#-
    For a model that stores line_count per key_column (fct_orders per order, agg_sales_daily per day): the keys
    whose stored count differs from the count of their lines in fct_order_lines now (matched on
    lines_key_column). A line deleted at the source leaves no newer load behind: this is how its order or day is
    found. existing_filter picks the rows of {{ this }} that carry the count (e.g. agg_sales_daily's day level).
-#}
{% macro keys_whose_line_count_changed(key_column, lines_key_column, existing_filter='true') -%}
    select coalesce(current_counts.{{ lines_key_column }}, existing.{{ key_column }}) as {{ lines_key_column }}
    from (
        select
            {{ lines_key_column }},
            count(*) as line_count
        from {{ ref('fct_order_lines') }}
        group by {{ lines_key_column }}
    ) as current_counts
    full outer join (
        select
            {{ key_column }},
            line_count
        from {{ this }}
        where {{ existing_filter }}
    ) as existing
        on current_counts.{{ lines_key_column }} = existing.{{ key_column }}
    where current_counts.line_count is distinct from existing.line_count
{%- endmacro %}
