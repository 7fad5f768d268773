-- Average payment of each customer by payment date (and over all dates: payment_date null).
select
    payments.customer_number,
    customers.customer_name,
    payments.payment_date,
    count(*) as payments,
    round(avg(payments.amount), 2) as average_payment
from {{ ref('fct_payments') }} as payments
inner join {{ ref('dim_customers') }} as customers on payments.customer_key = customers.customer_key
group by grouping sets (
    (payments.customer_number, customers.customer_name, payments.payment_date),
    (payments.customer_number, customers.customer_name)
)
order by payments.customer_number, payments.payment_date nulls last
