with

source as (

    select * from {{ source('classicmodels', 'offices') }}

),

renamed as (

    select
        -- ids
        cast(office_code as varchar) as office_code,

        -- attributes
        trim(cast(city as varchar)) as city,
        trim(cast(phone as varchar)) as phone,
        trim(cast(address_line1 as varchar)) as address_line1,
        trim(cast(address_line2 as varchar)) as address_line2,
        trim(cast(state as varchar)) as state,
        trim(cast(country as varchar)) as country,
        trim(cast(postal_code as varchar)) as postal_code,
        trim(cast(territory as varchar)) as territory,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
