with

source as (

    select * from {{ source('classicmodels', 'payments') }}

),

renamed as (

    select
        -- ids
        cast(customer_number as integer) as customer_number,
        cast(check_number as {{ dbt.type_string() }}) as check_number,

        -- numbers
        cast(amount as decimal(10, 2)) as amount,

        -- dates
        cast(payment_date as date) as payment_date,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
