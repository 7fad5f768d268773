-- Payments in fct_payments (count and total) and in the customer balances equal raw, to the cent.
with

raw_payments as (

    select
        count(*) as payment_count,
        sum(amount) as amount
    from {{ source('classicmodels', 'payments') }}

),

mart_payments as (

    select
        (select count(*) from {{ ref('fct_payments') }}) as payment_count,
        (select sum(amount) from {{ ref('fct_payments') }}) as amount,
        (select sum(paid_amount) from {{ ref('fct_customer_balances') }}) as balance_paid_amount

)

select
    mart_payments.*,
    raw_payments.payment_count as raw_payment_count,
    raw_payments.amount as raw_amount
from mart_payments
cross join raw_payments
where
    mart_payments.payment_count != raw_payments.payment_count
    or mart_payments.amount is distinct from raw_payments.amount
    or mart_payments.balance_paid_amount is distinct from raw_payments.amount
