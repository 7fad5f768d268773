{#-
    Employee versions with their office (type 1, current; from int_employee_versions_joined_to_offices) and
    their manager (from reportsTo): the manager's version valid when the employee's version starts.
-#}
with

versions as (

    select * from {{ ref('int_employee_versions_joined_to_offices') }}

),

unknown_member as (

    select
        {{ unknown_member_key() }} as employee_key,
        {{ var('unknown_member_id') }} as employee_number,
        cast(null as integer) as manager_employee_number,
        '{{ var("unknown_member_id") }}' as office_code,
        'Unknown' as full_name,
        cast(null as varchar) as first_name,
        cast(null as varchar) as last_name,
        cast(null as varchar) as email,
        cast(null as varchar) as extension,
        'Unknown' as job_title,
        'Unknown' as manager_full_name,
        'Unknown' as office_city,
        'Unknown' as office_country,
        cast('{{ var("scd_beginning_of_time") }}' as timestamp) as valid_from,
        cast('{{ var("scd_end_of_time") }}' as timestamp) as valid_to,
        true as is_current

),

employees as (

    select
        -- ids
        employees.version_key as employee_key,
        employees.employee_number,
        employees.reports_to_employee_number as manager_employee_number,
        employees.office_code,

        -- attributes
        employees.first_name || ' ' || employees.last_name as full_name,
        employees.first_name,
        employees.last_name,
        employees.email,
        employees.extension,
        employees.job_title,
        managers.first_name || ' ' || managers.last_name as manager_full_name,
        employees.office_city,
        employees.office_country,

        -- validity
        employees.valid_from,
        employees.valid_to,
        employees.is_current

    from versions as employees
    left join versions as managers
        on
            employees.reports_to_employee_number = managers.employee_number
            and {{ is_valid_at('managers', 'employees.valid_from') }}

)

select * from employees
union all
select * from unknown_member
