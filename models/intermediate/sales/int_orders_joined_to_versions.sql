{#-
    One row per order with the customer, sales-rep and office versions valid on the order date
    (point in time: valid_from <= order_date < valid_to), from the intermediate version models the dimensions
    are built on (same keys). Missing references fall to the unknown members.
-#}
with

orders as (

    select * from {{ ref('stg_classicmodels__orders') }}

)

select
    -- ids
    orders.order_number,
    orders.customer_number,
    customers.sales_rep_employee_number,
    employees.office_code,
    coalesce(customers.version_key, {{ unknown_member_key() }}) as customer_key,
    coalesce(employees.version_key, {{ unknown_member_key() }}) as sales_rep_employee_key,
    coalesce(employees.office_key, {{ unknown_member_key() }}) as office_key,

    -- attributes
    orders.status as order_status,
    orders.status in {{ sql_list(var('closed_order_statuses')) }} as is_closed,

    -- dates
    orders.order_date,
    orders.required_date,
    orders.shipped_date,

    -- timestamps
    orders.loaded_at

from orders
{{ left_join_customer_version_at(
    'orders.customer_number', 'orders.order_date', ref('int_customer_versions_aligned_to_business_days')
) }}
{{ left_join_version_at(
    ref('int_employee_versions_joined_to_offices'), 'employees', 'employee_number',
    'customers.sales_rep_employee_number', 'orders.order_date'
) }}
