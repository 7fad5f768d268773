-- Sales by customer.
select
    orders.customer_number,
    customers.customer_name,
    count(*) as orders,
    sum(orders.sales_amount) as sales_amount
from {{ ref('fct_orders') }} as orders
inner join {{ ref('dim_customers') }} as customers
    on orders.customer_number = customers.customer_number and customers.is_current
group by orders.customer_number, customers.customer_name
order by sales_amount desc
