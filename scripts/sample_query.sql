-- Sales by product line (marts: the line of the product version sold).
select
    products.product_line,
    count(distinct order_lines.order_number) as orders,
    sum(order_lines.sales_amount) as sales
from marts.fct_order_lines as order_lines
inner join marts.dim_products as products on order_lines.product_key = products.product_key
group by products.product_line
order by sales desc
