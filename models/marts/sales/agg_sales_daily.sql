{#-
    Day × category × sub-category × brand with the day's roll-ups (grouping_level; see the model's yml): amounts
    from one grouping-sets aggregation of the costed lines, distinct order counts from
    int_order_counts_per_product_group (same levels, macro sales_grouping_levels).
-#}
{%- set levels = sales_grouping_levels() %}
{%- set amounts_of_sold_lines = [
    'cost_amount', 'gross_profit', 'payment_fee_amount', 'shipping_cost_amount', 'tax_amount', 'net_profit'
] %}
with

lines as (

    select
        *,
        order_status not in {{ sql_list(var('unsold_order_statuses')) }} as is_sold
    from {{ ref('int_order_lines_costed') }}

),

amounts as (

    select
        order_date,
        {%- for column in ['category', 'sub_category', 'brand'] %}
            case when grouping({{ column }}) = 1 then '(all)' else {{ column }} end as {{ column }},
        {%- endfor %}
        sum(quantity_ordered) as quantity_ordered,
        sum(sales_amount) as sales_captured,
        sum(case when is_closed then sales_amount else 0 end) as closed_sales_amount,
        {%- for amount in amounts_of_sold_lines %}
            sum(case when is_sold then {{ amount }} else 0 end) as {{ amount }},
        {%- endfor %}
        max(loaded_at) as loaded_at
    from lines
    -- sqlfluff's DuckDB dialect does not parse grouping sets (DuckDB and Spark run them)
    group by grouping sets ({% for columns in levels.values() %}(order_date{% for column in columns %}, {{ column }}{% endfor %}){{ ', ' if not loop.last }}{% endfor %}) -- noqa: PRS, LT05

)

select
    -- grain
    amounts.order_date as sales_date,
    calendar.month_start_date as sales_month,
    order_counts.grouping_level,
    amounts.category,
    amounts.sub_category,
    amounts.brand,

    -- counts
    cast(order_counts.orders_placed as integer) as orders_placed,
    cast(order_counts.orders_closed as integer) as orders_closed,
    cast(amounts.quantity_ordered as bigint) as quantity_ordered,

    -- money
    {%- for amount in ['sales_captured', 'closed_sales_amount'] + amounts_of_sold_lines %}
        cast(amounts.{{ amount }} as decimal(18, 2)) as {{ amount }},
    {%- endfor %}

    -- the latest load of the group's lines
    amounts.loaded_at

from amounts
inner join {{ ref('int_order_counts_per_product_group') }} as order_counts
    on
        amounts.order_date = order_counts.order_date
        and amounts.category = order_counts.category
        and amounts.sub_category = order_counts.sub_category
        and amounts.brand = order_counts.brand
left join {{ ref('dim_dates') }} as calendar on amounts.order_date = calendar.date_day
