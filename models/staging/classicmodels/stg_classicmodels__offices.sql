with

source as (

    select * from {{ source('classicmodels', 'offices') }}

),

renamed as (

    select
        -- ids
        cast(office_code as {{ dbt.type_string() }}) as office_code,

        -- attributes
        trim(cast(city as {{ dbt.type_string() }})) as city,
        trim(cast(phone as {{ dbt.type_string() }})) as phone,
        trim(cast(address_line1 as {{ dbt.type_string() }})) as address_line1,
        trim(cast(address_line2 as {{ dbt.type_string() }})) as address_line2,
        trim(cast(state as {{ dbt.type_string() }})) as state,
        trim(cast(country as {{ dbt.type_string() }})) as country,
        trim(cast(postal_code as {{ dbt.type_string() }})) as postal_code,
        trim(cast(territory as {{ dbt.type_string() }})) as territory,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
