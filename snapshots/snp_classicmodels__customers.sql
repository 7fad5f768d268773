{% snapshot snp_classicmodels__customers %}

    {{ config(
        unique_key='customer_number',
        strategy='check',
        check_cols='all',
        hard_deletes='invalidate'
    ) }}

    -- Taken after the business clock, so this run's versions map to this run's business day.
    -- depends_on: {{ ref('snp_classicmodels__business_days') }}
    -- Raw that lost customers without a logged delete must not close their versions: stop first.
    {{ fail_if_raw_lost_rows('customers') }}
    select
        customer_number,
        sales_rep_employee_number,
        customer_name,
        contact_first_name,
        contact_last_name,
        phone,
        address_line1,
        address_line2,
        city,
        state,
        postal_code,
        country,
        credit_limit
    from {{ ref('stg_classicmodels__customers') }}

{% endsnapshot %}
