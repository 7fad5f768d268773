-- Average payment of each customer by payment date.
select
    payments.customer_number,
    customers.customer_name,
    payments.payment_date,
    count(*) as payments,
    round(avg(payments.amount), 2) as average_payment
from {{ ref('fct_payments') }} as payments
inner join {{ ref('dim_customers') }} as customers on payments.customer_key = customers.customer_key
group by payments.customer_number, customers.customer_name, payments.payment_date
order by payments.customer_number, payments.payment_date
