with

versions as (

    select * from {{ ref('int_customer_versions_aligned_to_business_days') }}

),

unknown_member as (

    select
        {{ unknown_member_key() }} as customer_key,
        {{ var('unknown_member_id') }} as customer_number,
        cast(null as integer) as sales_rep_employee_number,
        'Unknown' as customer_name,
        cast(null as varchar) as contact_first_name,
        cast(null as varchar) as contact_last_name,
        cast(null as varchar) as phone,
        cast(null as varchar) as address_line1,
        cast(null as varchar) as address_line2,
        'Unknown' as city,
        cast(null as varchar) as state,
        cast(null as varchar) as postal_code,
        'Unknown' as country,
        cast(null as decimal(10, 2)) as credit_limit,
        cast('{{ var("scd_beginning_of_time") }}' as timestamp) as valid_from,
        cast('{{ var("scd_end_of_time") }}' as timestamp) as valid_to,
        true as is_current

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

select * from customers
union all
select * from unknown_member
