{#-
    Day × category × sub-category × brand with the day's roll-ups (grouping_level; see the model's yml). Order
    counts come from a second aggregation with one row per order and group: DuckDB runs a count(distinct) per
    grouping set about half as fast.
-#}
{%- set grouping_sets = [
    ['order_date', 'category', 'sub_category', 'brand'],
    ['order_date', 'category'],
    ['order_date', 'sub_category'],
    ['order_date', 'brand'],
    ['order_date'],
] %}
{%- set group_columns %}
        order_date,
        case when grouping(category) = 1 then '(all)' else category end as category,
        case when grouping(sub_category) = 1 then '(all)' else sub_category end as sub_category,
        case when grouping(brand) = 1 then '(all)' else brand end as brand
{%- endset %}
with

lines as (

    select
        *,
        order_status not in {{ sql_list(var('unsold_order_statuses')) }} as is_sold
    from {{ ref('int_order_lines_costed') }}

),

amounts as (

    select
        {{ group_columns }},
        grouping(category) + grouping(sub_category) + grouping(brand) as rolled_up_count,
        grouping(category) as category_rolled_up,
        grouping(sub_category) as sub_category_rolled_up,
        grouping(brand) as brand_rolled_up,
        sum(quantity_ordered) as quantity_ordered,
        sum(sales_amount) as sales_captured,
        sum(case when is_closed then sales_amount else 0 end) as closed_sales_amount,
        sum(case when is_sold then cost_amount else 0 end) as cost_amount,
        sum(case when is_sold then gross_profit else 0 end) as gross_profit,
        sum(case when is_sold then payment_fee_amount else 0 end) as payment_fee_amount,
        sum(case when is_sold then shipping_cost_amount else 0 end) as shipping_cost_amount,
        sum(case when is_sold then tax_amount else 0 end) as tax_amount,
        sum(case when is_sold then net_profit else 0 end) as net_profit,
        max(loaded_at) as loaded_at
    from lines
    -- sqlfluff's DuckDB dialect does not parse grouping sets (DuckDB and Spark run them)
    group by grouping sets ({% for set in grouping_sets %}({{ set | join(', ') }}){{ ', ' if not loop.last }}{% endfor %}) -- noqa: PRS, LT05

),

-- one row per order and group, so counting rows counts distinct orders
orders_per_group as (

    select
        {{ group_columns }},
        order_number,
        max(case when is_closed then 1 else 0 end) as is_closed
    from lines
    group by grouping sets ({% for set in grouping_sets %}({{ set | join(', ') }}, order_number){{ ', ' if not loop.last }}{% endfor %}) -- noqa: PRS, LT05

),

order_counts as (

    select
        order_date,
        category,
        sub_category,
        brand,
        count(*) as orders_placed,
        sum(is_closed) as orders_closed
    from orders_per_group
    group by order_date, category, sub_category, brand

)

-- (ST06: sqlfluff misreads this select after the grouping sets it cannot parse)
select -- noqa: ST06
    -- grain, and the latest load of the group's lines
    amounts.order_date as sales_date,
    calendar.month_start_date as sales_month,
    amounts.loaded_at,
    case
        when amounts.rolled_up_count = 0 then 'category_sub_category_brand'
        when amounts.category_rolled_up = 0 then 'category'
        when amounts.sub_category_rolled_up = 0 then 'sub_category'
        when amounts.brand_rolled_up = 0 then 'brand'
        else 'day'
    end as grouping_level,
    amounts.category,
    amounts.sub_category,
    amounts.brand,

    -- counts
    cast(order_counts.orders_placed as integer) as orders_placed,
    cast(order_counts.orders_closed as integer) as orders_closed,
    cast(amounts.quantity_ordered as bigint) as quantity_ordered,

    -- money
    cast(amounts.sales_captured as decimal(18, 2)) as sales_captured,
    cast(amounts.closed_sales_amount as decimal(18, 2)) as closed_sales_amount,
    cast(amounts.cost_amount as decimal(18, 2)) as cost_amount,
    cast(amounts.gross_profit as decimal(18, 2)) as gross_profit,
    cast(amounts.payment_fee_amount as decimal(18, 2)) as payment_fee_amount,
    cast(amounts.shipping_cost_amount as decimal(18, 2)) as shipping_cost_amount,
    cast(amounts.tax_amount as decimal(18, 2)) as tax_amount,
    cast(amounts.net_profit as decimal(18, 2)) as net_profit

from amounts
inner join order_counts
    on
        amounts.order_date = order_counts.order_date
        and amounts.category = order_counts.category
        and amounts.sub_category = order_counts.sub_category
        and amounts.brand = order_counts.brand
left join {{ ref('dim_dates') }} as calendar on amounts.order_date = calendar.date_day
