with

source as (

    select * from {{ source('classicmodels', 'products') }}

),

renamed as (

    select
        -- ids
        cast(product_code as {{ dbt.type_string() }}) as product_code,
        cast(product_line as {{ dbt.type_string() }}) as product_line,

        -- attributes
        cast(product_name as {{ dbt.type_string() }}) as product_name,
        cast(product_scale as {{ dbt.type_string() }}) as product_scale,
        cast(product_vendor as {{ dbt.type_string() }}) as product_vendor,
        cast(product_description as {{ dbt.type_string() }}) as product_description,

        -- numbers
        cast(quantity_in_stock as integer) as quantity_in_stock,
        cast(buy_price as decimal(10, 2)) as buy_price,
        cast(msrp as decimal(10, 2)) as msrp,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
