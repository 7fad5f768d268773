-- Sales by product line (classicmodels staging until the marts land).
select
    p.product_line,
    count(distinct d.order_number) as orders,
    sum(d.quantity_ordered * d.price_each) as sales
from staging.stg_classicmodels__orderdetails as d
inner join staging.stg_classicmodels__products as p on d.product_code = p.product_code
group by p.product_line
order by sales desc
