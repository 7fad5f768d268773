{#-
    Day (order date) × category × sub-category × brand, plus the day's roll-ups per category, per
    sub-category, per brand and in all (grouping_level), so distinct order counts are right at every level.
    A rolled-up attribute reads '(all)'. Add rows up within one grouping_level only. Every amount is a sum of
    int_order_lines_costed's lines, each rounded to the cent once there, so the levels of a day add up exactly.
-#}
{%- set grouping_sets = [
    '(order_date, category, sub_category, brand)',
    '(order_date, category)',
    '(order_date, sub_category)',
    '(order_date, brand)',
    '(order_date)',
] %}
with

lines as (

    select * from {{ ref('int_order_lines_costed') }}

),

grouped as (

    select
        order_date,
        category,
        sub_category,
        brand,
        grouping(category) as category_rolled_up,
        grouping(sub_category) as sub_category_rolled_up,
        grouping(brand) as brand_rolled_up,
        count(distinct order_number) as orders_placed,
        count(distinct case when is_closed then order_number end) as orders_closed,
        sum(quantity_ordered) as quantity_ordered,
        sum(sales_amount) as sales_captured,
        sum(case when is_closed then sales_amount else 0 end) as closed_sales_amount,
        sum(cost_amount) as cost_amount,
        sum(gross_profit) as gross_profit,
        sum(payment_fee_amount) as payment_fee_amount,
        sum(shipping_cost_amount) as shipping_cost_amount,
        sum(tax_amount) as tax_amount,
        sum(net_profit) as net_profit,
        max(loaded_at) as loaded_at
    from lines
    -- sqlfluff's DuckDB dialect does not parse grouping sets (DuckDB and Spark run them)
    group by grouping sets ({{ grouping_sets | join(', ') }}) -- noqa: PRS

)

-- (ST06: sqlfluff misreads this select after the grouping sets it cannot parse)
select -- noqa: ST06
    -- grain, and the latest load of the group's lines
    order_date as sales_date,
    loaded_at,
    case
        when category_rolled_up + sub_category_rolled_up + brand_rolled_up = 0 then 'category_sub_category_brand'
        when category_rolled_up = 0 then 'category'
        when sub_category_rolled_up = 0 then 'sub_category'
        when brand_rolled_up = 0 then 'brand'
        else 'day'
    end as grouping_level,
    case when category_rolled_up = 1 then '(all)' else category end as category,
    case when sub_category_rolled_up = 1 then '(all)' else sub_category end as sub_category,
    case when brand_rolled_up = 1 then '(all)' else brand end as brand,

    -- counts
    cast(orders_placed as integer) as orders_placed,
    cast(orders_closed as integer) as orders_closed,
    cast(quantity_ordered as bigint) as quantity_ordered,

    -- money
    cast(sales_captured as decimal(18, 2)) as sales_captured,
    cast(closed_sales_amount as decimal(18, 2)) as closed_sales_amount,
    cast(cost_amount as decimal(18, 2)) as cost_amount,
    cast(gross_profit as decimal(18, 2)) as gross_profit,
    cast(payment_fee_amount as decimal(18, 2)) as payment_fee_amount,
    cast(shipping_cost_amount as decimal(18, 2)) as shipping_cost_amount,
    cast(tax_amount as decimal(18, 2)) as tax_amount,
    cast(net_profit as decimal(18, 2)) as net_profit

from grouped
