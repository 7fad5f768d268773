{#-
    One row per order, with its dates, status, time to ship, late flag and line totals (from fct_order_lines:
    the totals need no costs, so the costing joins are not paid here). A table, rebuilt every run; it stops
    before it is written when raw lost orders without a logged delete (macro fail_if_raw_lost_rows).
-#}
{{ fail_if_raw_lost_rows('orders') }}
with

orders as (

    select * from {{ ref('int_orders_joined_to_versions') }}

),

line_totals as (

    select
        order_number,
        sum(quantity_ordered) as quantity_ordered,
        sum(sales_amount) as sales_amount,
        sum(cost_amount) as cost_amount,
        sum(gross_profit) as gross_profit,
        max(loaded_at) as loaded_at
    from {{ ref('fct_order_lines') }}
    group by order_number

),

shipping as (

    select
        order_number,
        cast({{ days_between('order_date', 'shipped_date') }} as integer) as days_to_ship, -- noqa: LT05
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
    cast(coalesce(line_totals.quantity_ordered, 0) as bigint) as quantity_ordered,
    cast(coalesce(line_totals.sales_amount, 0) as decimal(18, 2)) as sales_amount,
    cast(coalesce(line_totals.cost_amount, 0) as decimal(18, 2)) as cost_amount,
    cast(coalesce(line_totals.gross_profit, 0) as decimal(18, 2)) as gross_profit,

    -- timestamps
    greatest(orders.loaded_at, line_totals.loaded_at) as loaded_at

from orders
inner join shipping on orders.order_number = shipping.order_number
left join line_totals on orders.order_number = line_totals.order_number
