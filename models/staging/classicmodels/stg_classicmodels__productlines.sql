with

source as (

    select * from {{ source('classicmodels', 'productlines') }}

),

renamed as (

    select
        -- ids
        cast(product_line as varchar) as product_line,

        -- attributes
        cast(text_description as varchar) as text_description,
        cast(html_description as varchar) as html_description,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
