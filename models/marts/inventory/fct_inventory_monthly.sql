{#-
    Product × month end: the stock of the product version in force at the close of the month-end day
    (valid_from <= month_end + 1 day < valid_to), so a month without a change carries the last known
    stock forward. Months run from the first order's month to the month of the latest order. A month that
    ended before dbt first observed the product (its first snapshot) is absent: stock is only known from then
    on, and the current value is never copied back.
-#}
{%- set day_after_month_end = dbt.dateadd('day', 1, 'month_ends.month_end_date') %}
with

products as (

    select
        *,
        version_key as product_key
    from {{ ref('int_product_versions_mapped_to_hierarchy') }}

),

lines as (

    select * from {{ ref('fct_order_lines') }}

),

month_ends as (

    select date_day as month_end_date
    from {{ ref('dim_dates') }}
    where
        is_month_end
        and date_day >= (select date_trunc('month', min(order_date)) from lines)
        and date_day <= (select last_day(max(order_date)) from lines)

),

units_sold as (

    select
        product_code,
        last_day(order_date) as month_end_date,
        sum(quantity_ordered) as units_sold
    from lines
    where order_status not in {{ sql_list(var('unsold_order_statuses')) }}
    group by product_code, last_day(order_date)

),

stock as (

    select
        products.product_code,
        products.product_key,
        month_ends.month_end_date,
        products.quantity_in_stock,
        products.buy_price
    from month_ends
    inner join products
        on
            {{ is_valid_at('products', day_after_month_end) }}
            and products.observed_from <= {{ day_after_month_end }}

)

select
    -- ids
    stock.product_code,
    stock.product_key,

    -- dates
    cast(stock.month_end_date as date) as month_end_date,

    -- numbers
    cast(stock.quantity_in_stock as integer) as quantity_in_stock,
    cast(stock.buy_price as decimal(10, 2)) as unit_cost,
    cast(stock.quantity_in_stock * stock.buy_price as decimal(18, 2)) as stock_value_at_cost,
    cast(coalesce(units_sold.units_sold, 0) as bigint) as units_sold

from stock
left join units_sold
    on
        stock.product_code = units_sold.product_code
        and stock.month_end_date = units_sold.month_end_date
