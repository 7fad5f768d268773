with

source as (

    select * from {{ source('classicmodels', 'offices') }}

),

renamed as (

    select
        -- ids
        cast(office_code as varchar) as office_code,

        -- attributes
        cast(city as varchar) as city,
        cast(phone as varchar) as phone,
        cast(address_line1 as varchar) as address_line1,
        cast(address_line2 as varchar) as address_line2,
        cast(state as varchar) as state,
        cast(country as varchar) as country,
        cast(postal_code as varchar) as postal_code,
        cast(territory as varchar) as territory,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
