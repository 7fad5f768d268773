with

source as (

    select * from {{ source('classicmodels', 'orders') }}

),

renamed as (

    select
        -- ids
        cast(order_number as integer) as order_number,
        cast(customer_number as integer) as customer_number,

        -- attributes
        cast(status as {{ dbt.type_string() }}) as status,
        cast(comments as {{ dbt.type_string() }}) as comments,

        -- dates
        cast(order_date as date) as order_date,
        cast(required_date as date) as required_date,
        cast(shipped_date as date) as shipped_date,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
