{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['customer_number', 'check_number'],
    on_schema_change='fail',
    post_hook="{{ delete_rows_missing_from(ref('stg_classicmodels__payments'), ['customer_number', 'check_number']) }}"
) }}

{#-
    One row per payment, with the customer version valid on the payment date. Incremental: each run
    rebuilds the payments dated within var lookback_days of the newest payment date already here (the
    window the loader re-reads) and those dlt loaded since, and drops payments deleted at the source.
-#}
with

payments as (

    select * from {{ ref('stg_classicmodels__payments') }}
    {{ incremental_lookback_filter('payment_date') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

)

select
    -- ids
    {{ surrogate_key(['payments.customer_number', 'payments.check_number']) }} as payment_key,
    payments.customer_number,
    payments.check_number,
    coalesce(customers.customer_key, {{ unknown_member_key() }}) as customer_key,

    -- dates
    payments.payment_date,

    -- numbers
    payments.amount,

    -- timestamps
    payments.loaded_at

from payments
left join customers
    on
        payments.customer_number = customers.customer_number
        and {{ is_valid_at('customers', 'payments.payment_date') }}
