-- Sales by customer (its latest name, also for a customer deleted at the source).
with latest_customers as (

    select
        customer_number,
        customer_name,
        row_number() over (partition by customer_number order by valid_from desc) as recency
    from {{ ref('dim_customers') }}

)

select
    orders.customer_number,
    latest_customers.customer_name,
    count(*) as orders,
    sum(orders.sales_amount) as sales_amount
from {{ ref('fct_orders') }} as orders
inner join latest_customers
    on orders.customer_number = latest_customers.customer_number and latest_customers.recency = 1
group by orders.customer_number, latest_customers.customer_name
order by sales_amount desc
