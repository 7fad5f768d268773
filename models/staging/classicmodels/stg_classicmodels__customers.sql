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
        cast(customer_name as varchar) as customer_name,
        cast(contact_first_name as varchar) as contact_first_name,
        cast(contact_last_name as varchar) as contact_last_name,
        cast(phone as varchar) as phone,
        cast(address_line1 as varchar) as address_line1,
        cast(address_line2 as varchar) as address_line2,
        cast(city as varchar) as city,
        cast(state as varchar) as state,
        cast(postal_code as varchar) as postal_code,
        cast(country as varchar) as country,

        -- numbers
        cast(credit_limit as decimal(10, 2)) as credit_limit,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
