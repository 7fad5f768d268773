{#-
    One row per payment, with the customer version valid on the payment date. A table, rebuilt every run; it
    stops before it is written when raw lost payments without a logged delete (macro fail_if_raw_lost_rows).
-#}
{{ fail_if_raw_lost_rows('payments') }}
with

payments as (

    select * from {{ ref('stg_classicmodels__payments') }}

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
{{ left_join_customer_version_at('payments.customer_number', 'payments.payment_date') }}
