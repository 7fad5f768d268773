with

source as (

    select * from {{ source('classicmodels', 'products') }}

),

renamed as (

    select
        -- ids
        cast(product_code as varchar) as product_code,
        cast(product_line as varchar) as product_line,

        -- attributes
        cast(product_name as varchar) as product_name,
        cast(product_scale as varchar) as product_scale,
        cast(product_vendor as varchar) as product_vendor,
        cast(product_description as varchar) as product_description,

        -- numbers
        cast(quantity_in_stock as integer) as quantity_in_stock,
        cast(buy_price as decimal(10, 2)) as buy_price,
        cast(msrp as decimal(10, 2)) as msrp,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
