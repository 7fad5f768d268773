with

source as (

    select * from {{ source('classicmodels', 'employees') }}

),

renamed as (

    select
        -- ids
        cast(employee_number as integer) as employee_number,
        cast(office_code as {{ dbt.type_string() }}) as office_code,
        cast(reports_to as integer) as reports_to_employee_number,

        -- attributes
        trim(cast(first_name as {{ dbt.type_string() }})) as first_name,
        trim(cast(last_name as {{ dbt.type_string() }})) as last_name,
        trim(cast(extension as {{ dbt.type_string() }})) as extension,
        trim(cast(email as {{ dbt.type_string() }})) as email,
        trim(cast(job_title as {{ dbt.type_string() }})) as job_title,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
