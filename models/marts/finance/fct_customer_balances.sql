{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='customer_number',
    on_schema_change='fail',
    post_hook="{{ delete_customers_without_movements() }}"
) }}

{#-
    Customer balance over time: one row per customer and day with account activity, with the running
    balance (orders billed − payments received) against the credit limit valid that day. The movements are
    orders billed (those in var billed_order_statuses, on their shipped date, from fct_orders) and payments
    received (fct_payments).
    Incremental by whole customers (delete+insert on customer_number: a running balance changes from the
    changed day on, so a customer's history is rebuilt together): each run compares the day movements computed
    now with those stored here and rebuilds every customer with a difference (new, changed or deleted orders
    and payments, however old), and the customers with a version starting or ending within var lookback_days
    of the newest balance date here (their credit limit may change); a post-hook drops customers left without
    movements. The day movements are cheap (one aggregate); the running sums and the point-in-time join
    are only computed for the rebuilt customers.
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

customers as (

    select * from {{ ref('dim_customers') }}

),

{% if is_incremental() %}

    stored as (

        select
            customer_number,
            balance_date as transaction_date,
            billed_amount,
            paid_amount
        from {{ this }}

    ),

    -- every customer whose rows may differ from a full refresh
    changed_customers as (

        select customer_number from (
            select * from transactions
            except
            select * from stored
        )
        union
        select customer_number from (
            select * from stored
            except
            select * from transactions
        )
        union
        select customer_number from customers
        where
            valid_from >= {{ incremental_lookback_start('balance_date') }}
            or (
                valid_to >= {{ incremental_lookback_start('balance_date') }}
                and valid_to < cast('{{ var("scd_end_of_time") }}' as timestamp)
            )

    ),

{% endif %}

running as (

    select
        customer_number,
        transaction_date,
        billed_amount,
        paid_amount,
        sum(billed_amount) over customer_history as cumulative_billed_amount,
        sum(paid_amount) over customer_history as cumulative_paid_amount
    from transactions
    {%- if is_incremental() %}
        where customer_number in (select customer_number from changed_customers)
    {%- endif %}
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
left join customers
    on
        running.customer_number = customers.customer_number
        and {{ is_valid_at('customers', 'running.transaction_date') }}
