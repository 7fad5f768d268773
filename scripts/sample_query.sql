-- Sales by product line (marts: the line of the product version sold).
select
    products.product_line,
    count(distinct lines.order_number) as orders,
    sum(lines.sales_amount) as sales
from marts.fct_order_lines as lines
inner join marts.dim_products as products on lines.product_key = products.product_key
group by products.product_line
order by sales desc
