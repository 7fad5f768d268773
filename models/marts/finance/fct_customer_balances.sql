{#-
    Customer balance over time: one row per customer and day with account activity, with the running
    balance (orders billed − payments received) against the credit limit valid that day. The movements are
    orders billed (those in var billed_order_statuses, on their shipped date, from fct_orders) and payments
    received (fct_payments). A table, rebuilt every run.
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

),

-- one row per customer and day with movements
transactions as (

    select
        customer_number,
        transaction_date,
        sum(billed_amount) as billed_amount,
        sum(paid_amount) as paid_amount
    from unioned
    group by customer_number, transaction_date

),

running as (

    select
        customer_number,
        transaction_date,
        billed_amount,
        paid_amount,
        sum(billed_amount) over customer_history as cumulative_billed_amount,
        sum(paid_amount) over customer_history as cumulative_paid_amount
    from transactions
    window customer_history as (
        partition by customer_number order by transaction_date
        rows between unbounded preceding and current row
    )

)

select
    -- ids
    running.customer_number,
    coalesce(customers.customer_key, {{ unknown_member_key() }}) as customer_key,

    -- dates
    running.transaction_date as balance_date,

    -- numbers
    cast(running.billed_amount as decimal(18, 2)) as billed_amount,
    cast(running.paid_amount as decimal(18, 2)) as paid_amount,
    cast(running.cumulative_billed_amount as decimal(18, 2)) as cumulative_billed_amount,
    cast(running.cumulative_paid_amount as decimal(18, 2)) as cumulative_paid_amount,
    cast(running.cumulative_billed_amount - running.cumulative_paid_amount as decimal(18, 2)) as balance_amount,
    cast(customers.credit_limit as decimal(18, 2)) as credit_limit,
    cast(
        customers.credit_limit - (running.cumulative_billed_amount - running.cumulative_paid_amount)
        as decimal(18, 2)
    ) as available_credit_amount,
    coalesce(
        running.cumulative_billed_amount - running.cumulative_paid_amount > customers.credit_limit, false
    ) as is_over_credit_limit

from running
{{ left_join_customer_version_at('running.customer_number', 'running.transaction_date') }}
