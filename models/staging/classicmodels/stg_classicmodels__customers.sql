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
        trim(cast(customer_name as {{ dbt.type_string() }})) as customer_name,
        trim(cast(contact_first_name as {{ dbt.type_string() }})) as contact_first_name,
        trim(cast(contact_last_name as {{ dbt.type_string() }})) as contact_last_name,
        trim(cast(phone as {{ dbt.type_string() }})) as phone,
        trim(cast(address_line1 as {{ dbt.type_string() }})) as address_line1,
        trim(cast(address_line2 as {{ dbt.type_string() }})) as address_line2,
        trim(cast(city as {{ dbt.type_string() }})) as city,
        trim(cast(state as {{ dbt.type_string() }})) as state,
        trim(cast(postal_code as {{ dbt.type_string() }})) as postal_code,
        trim(cast(country as {{ dbt.type_string() }})) as country,

        -- numbers
        cast(credit_limit as decimal(10, 2)) as credit_limit,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
