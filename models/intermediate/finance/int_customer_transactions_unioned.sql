{#-
    Every movement on a customer's account, one row per customer and day: orders billed (those in
    var billed_order_statuses, on their shipped date) and payments received.
-#}
with

billed as (

    select
        customer_number,
        shipped_date as transaction_date,
        sales_amount as billed_amount,
        cast(0 as decimal(18, 2)) as paid_amount
    from {{ ref('fct_orders') }}
    where
        order_status in {{ sql_list(var('billed_order_statuses')) }}
        and shipped_date is not null

),

paid as (

    select
        customer_number,
        payment_date as transaction_date,
        cast(0 as decimal(18, 2)) as billed_amount,
        amount as paid_amount
    from {{ ref('fct_payments') }}

),

unioned as (

    select * from billed
    union all
    select * from paid

)

select
    customer_number,
    transaction_date,
    sum(billed_amount) as billed_amount,
    sum(paid_amount) as paid_amount
from unioned
group by customer_number, transaction_date
