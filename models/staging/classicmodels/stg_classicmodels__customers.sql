with

source as (

    select * from {{ source('classicmodels', 'customers') }}

),

renamed as (

    select
        -- ids
        cast(customer_number as integer) as customer_number,
        cast(sales_rep_employee_number as integer) as sales_rep_employee_number,

        -- attributes
        trim(cast(customer_name as varchar)) as customer_name,
        trim(cast(contact_first_name as varchar)) as contact_first_name,
        trim(cast(contact_last_name as varchar)) as contact_last_name,
        trim(cast(phone as varchar)) as phone,
        trim(cast(address_line1 as varchar)) as address_line1,
        trim(cast(address_line2 as varchar)) as address_line2,
        trim(cast(city as varchar)) as city,
        trim(cast(state as varchar)) as state,
        trim(cast(postal_code as varchar)) as postal_code,
        trim(cast(country as varchar)) as country,

        -- numbers
        cast(credit_limit as decimal(10, 2)) as credit_limit,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
