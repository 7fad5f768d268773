-- Orders and order lines in the marts equal the raw counts.
with

raw_counts as (

    select
        (select count(*) from {{ source('classicmodels', 'orders') }}) as order_count,
        (select count(*) from {{ source('classicmodels', 'orderdetails') }}) as line_count

),

mart_counts as (

    select
        (select count(*) from {{ ref('fct_orders') }}) as order_count,
        (select count(*) from {{ ref('fct_order_lines') }}) as line_count

)

select
    mart_counts.order_count,
    raw_counts.order_count as raw_order_count,
    mart_counts.line_count,
    raw_counts.line_count as raw_line_count
from mart_counts
cross join raw_counts
where
    mart_counts.order_count != raw_counts.order_count
    or mart_counts.line_count != raw_counts.line_count
