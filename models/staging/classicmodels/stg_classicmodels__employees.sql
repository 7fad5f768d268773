with

source as (

    select * from {{ source('classicmodels', 'employees') }}

),

renamed as (

    select
        -- ids
        cast(employee_number as integer) as employee_number,
        cast(office_code as varchar) as office_code,
        cast(reports_to as integer) as reports_to_employee_number,

        -- attributes
        trim(cast(first_name as varchar)) as first_name,
        trim(cast(last_name as varchar)) as last_name,
        trim(cast(extension as varchar)) as extension,
        trim(cast(email as varchar)) as email,
        trim(cast(job_title as varchar)) as job_title,

        -- timestamps
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
