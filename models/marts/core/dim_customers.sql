with

versions as (

    select * from {{ ref('int_customer_versions_aligned_to_business_days') }}

),

customers as (

    select
        -- ids
        version_key as customer_key,
        customer_number,
        sales_rep_employee_number,

        -- attributes
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

        -- numbers
        credit_limit,

        -- validity
        valid_from,
        valid_to,
        is_current

    from versions

)

{{ union_unknown_member(
    'customers', 'customer_key', 'customer_number',
    labelled_columns=['customer_name', 'city', 'country']
) }}
