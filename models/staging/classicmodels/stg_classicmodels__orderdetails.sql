with

source as (

    select * from {{ source('classicmodels', 'orderdetails') }}

),

renamed as (

    select
        -- ids
        cast(order_number as integer) as order_number,
        cast(product_code as {{ dbt.type_string() }}) as product_code,

        -- numbers
        cast(order_line_number as integer) as order_line_number,
        cast(quantity_ordered as integer) as quantity_ordered,
        cast(price_each as decimal(10, 2)) as price_each,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
