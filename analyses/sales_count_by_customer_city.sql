-- Count of sales (orders) by the customer's city on the order date.
select
    customers.country,
    customers.city,
    count(*) as orders,
    sum(orders.sales_amount) as sales_amount
from {{ ref('fct_orders') }} as orders
inner join {{ ref('dim_customers') }} as customers on orders.customer_key = customers.customer_key
group by customers.country, customers.city
order by orders desc
