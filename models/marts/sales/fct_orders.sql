{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='order_number',
    on_schema_change='fail',
    post_hook="{{ delete_rows_missing_from(ref('stg_classicmodels__orders'), ['order_number']) }}"
) }}

{#-
    One row per order, with its dates, status, time to ship, late flag and line totals (from fct_order_lines).
    Incremental: each run rebuilds the orders dated within var lookback_days of the newest order date already
    here, the orders dlt loaded since the newest load here, the orders with a line (re)built in fct_order_lines
    since then, and the orders whose line count here no longer matches fct_order_lines (a line deleted at the
    source: nothing about it is loaded since); a post-hook drops orders deleted at the source.
-#}
with

{% if is_incremental() %}

    -- every order whose row may differ from a full refresh
    changed_orders as (

        select order_number from {{ ref('int_orders_joined_to_versions') }}
        where {{ incremental_lookback_condition('order_date') }}
        union
        select order_number from {{ ref('fct_order_lines') }}
        where loaded_at > {{ incremental_loaded_since() }}
        union
        {{ keys_whose_line_count_changed('order_number', 'order_number') }}

    ),

{% endif %}

orders as (

    select * from {{ ref('int_orders_joined_to_versions') }}
    {%- if is_incremental() %}
        where order_number in (select order_number from changed_orders)
    {%- endif %}

),

line_totals as (

    select
        order_number,
        count(*) as line_count,
        sum(quantity_ordered) as quantity_ordered,
        sum(sales_amount) as sales_amount,
        sum(cost_amount) as cost_amount,
        sum(gross_profit) as gross_profit,
        max(loaded_at) as loaded_at
    from {{ ref('fct_order_lines') }}
    {%- if is_incremental() %}
        where order_number in (select order_number from changed_orders)
    {%- endif %}
    group by order_number

),

shipping as (

    select
        order_number,
        cast(date_diff('day', order_date, shipped_date) as integer) as days_to_ship,
        shipped_date > required_date as is_shipped_late
    from orders

)

select
    -- ids
    orders.order_number,
    orders.customer_number,
    orders.sales_rep_employee_number,
    orders.office_code,
    orders.customer_key,
    orders.sales_rep_employee_key,
    orders.office_key,

    -- attributes
    orders.order_status,
    orders.is_closed,

    -- dates
    orders.order_date,
    orders.required_date,
    orders.shipped_date,
    shipping.days_to_ship,
    shipping.is_shipped_late,

    -- numbers
    cast(coalesce(line_totals.line_count, 0) as integer) as line_count,
    cast(coalesce(line_totals.quantity_ordered, 0) as bigint) as quantity_ordered,
    cast(coalesce(line_totals.sales_amount, 0) as decimal(18, 2)) as sales_amount,
    cast(coalesce(line_totals.cost_amount, 0) as decimal(18, 2)) as cost_amount,
    cast(coalesce(line_totals.gross_profit, 0) as decimal(18, 2)) as gross_profit,

    -- timestamps
    greatest(orders.loaded_at, line_totals.loaded_at) as loaded_at

from orders
inner join shipping on orders.order_number = shipping.order_number
left join line_totals on orders.order_number = line_totals.order_number
