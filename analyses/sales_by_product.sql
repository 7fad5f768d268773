-- Total sales by product (its latest name and line, also for a product deleted at the source), best sellers first.
with latest_products as (

    select
        product_code,
        product_name,
        product_line,
        row_number() over (partition by product_code order by valid_from desc) as recency
    from {{ ref('dim_products') }}

)

select
    order_lines.product_code,
    latest_products.product_name,
    latest_products.product_line,
    sum(order_lines.sales_amount) as sales_amount
from {{ ref('fct_order_lines') }} as order_lines
inner join latest_products
    on order_lines.product_code = latest_products.product_code and latest_products.recency = 1
group by order_lines.product_code, latest_products.product_name, latest_products.product_line
order by sales_amount desc
