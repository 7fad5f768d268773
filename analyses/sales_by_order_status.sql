-- Sales by order status.
select
    order_status,
    count(*) as orders,
    sum(sales_amount) as sales_amount
from {{ ref('fct_orders') }}
group by order_status
order by sales_amount desc
