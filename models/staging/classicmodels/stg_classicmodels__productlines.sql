with

source as (

    select * from {{ source('classicmodels', 'productlines') }}

),

renamed as (

    select
        -- ids
        cast(product_line as {{ dbt.type_string() }}) as product_line,

        -- attributes
        cast(text_description as {{ dbt.type_string() }}) as text_description,
        cast(html_description as {{ dbt.type_string() }}) as html_description,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
