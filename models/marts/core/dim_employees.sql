{#-
    Employee versions with their office (type 1, current; from int_employee_versions_joined_to_offices) and
    their manager (from reportsTo): the manager's version valid when the employee's version starts.
-#}
with

versions as (

    select * from {{ ref('int_employee_versions_joined_to_offices') }}

),

employees as (

    select
        -- ids
        employees.version_key as employee_key,
        employees.employee_number,
        employees.reports_to_employee_number as manager_employee_number,
        employees.office_code,

        -- attributes
        employees.first_name,
        employees.last_name,
        employees.email,
        employees.extension,
        employees.job_title,
        employees.office_city,
        employees.office_country,

        -- validity
        employees.valid_from,
        employees.valid_to,
        employees.is_current,

        -- names (the union below selects the contract's column order)
        employees.first_name || ' ' || employees.last_name as full_name,
        managers.first_name || ' ' || managers.last_name as manager_full_name

    from versions as employees
    {{ left_join_version_at(
        'versions', 'managers', 'employee_number', 'employees.reports_to_employee_number', 'employees.valid_from'
    ) }}

)

{{ union_unknown_member(
    'employees', 'employee_key', 'employee_number',
    labelled_columns=['full_name', 'job_title', 'manager_full_name', 'office_city', 'office_country'],
    values={'office_code': var('unknown_member_id')}
) }}
