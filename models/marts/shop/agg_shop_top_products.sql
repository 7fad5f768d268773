{#-
    The best-selling products of each day (UTC), all countries together, by net sales: the first
    var shop_top_products of them (ties share a rank, so a day can list more).
-#}
with

lines as (

    select * from {{ ref('fct_shop_transaction_lines') }}

),

products as (

    select
        transaction_date as sales_date,
        product_no,
        max(product_name) as product_name,
        {{ shop_sales_measures() }}
    from lines
    group by transaction_date, product_no

),

ranked as (

    select
        *,
        rank() over (partition by sales_date order by net_sales desc) as sales_rank
    from products

)

select
    {{ surrogate_key(['sales_date', 'product_no']) }} as top_product_key,
    sales_date,
    cast(sales_rank as integer) as sales_rank,
    product_no,
    product_name,
    net_units,
    gross_sales,
    cancelled_sales,
    net_sales
from ranked
where sales_rank <= {{ var('shop_top_products') }}
