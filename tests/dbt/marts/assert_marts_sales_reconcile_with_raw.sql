-- Sales in every mart that carries them equal Σ quantityOrdered × priceEach in raw, to the cent.
with

raw_sales as (

    select sum(quantity_ordered * price_each) as sales_amount
    from {{ source('classicmodels', 'orderdetails') }}

),

mart_sales as (

    select
        'fct_order_lines' as mart,
        sum(sales_amount) as sales_amount
    from {{ ref('fct_order_lines') }}
    union all
    select
        'fct_orders' as mart,
        sum(sales_amount) as sales_amount
    from {{ ref('fct_orders') }}
    union all
    select
        'agg_sales_daily' as mart,
        sum(sales_captured) as sales_amount
    from {{ ref('agg_sales_daily') }}
    where grouping_level = 'day'

)

select
    mart_sales.mart,
    mart_sales.sales_amount,
    raw_sales.sales_amount as raw_sales_amount
from mart_sales
cross join raw_sales
where mart_sales.sales_amount is distinct from raw_sales.sales_amount
