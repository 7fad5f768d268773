{#-
    Day (order date) × category × sub-category × brand. An order with lines in several categories counts
    once in each, so add orders up within one grouping only; money adds up across any grouping.
-#}
with

lines as (

    select * from {{ ref('int_order_lines_costed') }}

)

select
    -- grain
    order_date as sales_date,
    category,
    sub_category,
    brand,

    -- counts
    cast(count(distinct order_number) as integer) as orders_placed,
    cast(count(distinct case when is_closed then order_number end) as integer) as orders_closed,
    cast(sum(quantity_ordered) as bigint) as quantity_ordered,

    -- money
    cast(sum(sales_amount) as decimal(18, 2)) as sales_captured,
    cast(sum(case when is_closed then sales_amount else 0 end) as decimal(18, 2)) as closed_sales_amount,
    cast(sum(cost_amount) as decimal(18, 2)) as cost_amount,
    cast(sum(gross_profit) as decimal(18, 2)) as gross_profit,
    cast(sum(payment_fee_amount) as decimal(18, 2)) as payment_fee_amount,
    cast(sum(shipping_cost_amount) as decimal(18, 2)) as shipping_cost_amount,
    cast(sum(tax_amount) as decimal(18, 2)) as tax_amount,
    cast(sum(net_profit) as decimal(18, 2)) as net_profit

from lines
group by order_date, category, sub_category, brand
