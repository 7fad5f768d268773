-- Total sales by product (current name and line), best sellers first.
select
    lines.product_code,
    products.product_name,
    products.product_line,
    sum(lines.sales_amount) as sales_amount
from {{ ref('fct_order_lines') }} as lines
inner join {{ ref('dim_products') }} as products
    on lines.product_code = products.product_code and products.is_current
group by lines.product_code, products.product_name, products.product_line
order by sales_amount desc
