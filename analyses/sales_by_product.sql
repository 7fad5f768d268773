-- Total sales by product (current name and line), best sellers first.
select
    order_lines.product_code,
    products.product_name,
    products.product_line,
    sum(order_lines.sales_amount) as sales_amount
from {{ ref('fct_order_lines') }} as order_lines
inner join {{ ref('dim_products') }} as products
    on order_lines.product_code = products.product_code and products.is_current
group by order_lines.product_code, products.product_name, products.product_line
order by sales_amount desc
