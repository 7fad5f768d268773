{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['order_number', 'product_code'],
    on_schema_change='fail',
    pre_hook="{{ delete_rows_missing_from(ref('stg_classicmodels__orderdetails'), ['order_number', 'product_code']) }}"
) }}

{#-
    One row per order line, with the product, customer and sales-rep versions valid on the order date.
    Incremental (the largest fact, append-mostly): each run merges the lines of orders dated within var
    lookback_days of the newest order date already here (the window the loader re-reads) and the lines whose
    order or line dlt loaded since (changes caught outside the window), after dropping the lines deleted at the
    source (pre-hook), unless raw lost lines without a logged delete (then the build stops first). The filter
    sits in the source CTEs, so the scans only read those orders and lines: a line is taken when it was loaded
    since or its order qualifies; an order when it qualifies or one of its lines was loaded since.
-#}
{{ fail_if_raw_lost_rows('orderdetails') }}
with

lines as (

    select * from {{ ref('stg_classicmodels__orderdetails') }}
    {%- if is_incremental() %}
        where
            loaded_at > {{ incremental_loaded_since() }}
            or order_number in (
                select order_number from {{ ref('int_orders_joined_to_versions') }}
                where {{ incremental_lookback_condition('order_date') }}
            )
    {%- endif %}

),

orders as (

    select * from {{ ref('int_orders_joined_to_versions') }}
    {%- if is_incremental() %}
        where
            {{ incremental_lookback_condition('order_date') }}
            or order_number in (
                select order_number from {{ ref('stg_classicmodels__orderdetails') }}
                where loaded_at > {{ incremental_loaded_since() }}
            )
    {%- endif %}

),

joined as (

    select
        -- ids
        {{ surrogate_key(['lines.order_number', 'lines.product_code']) }} as order_line_key,
        lines.order_number,
        lines.product_code,
        orders.customer_number,
        orders.sales_rep_employee_number,
        orders.office_code,
        coalesce(products.product_key, {{ unknown_member_key() }}) as product_key,
        orders.customer_key,
        orders.sales_rep_employee_key,
        orders.office_key,

        -- attributes
        lines.order_line_number,
        orders.order_status,
        orders.is_closed,

        -- dates
        orders.order_date,
        orders.required_date,
        orders.shipped_date,

        -- numbers
        lines.quantity_ordered,
        lines.price_each,
        products.buy_price as unit_cost,

        -- timestamps
        greatest(lines.loaded_at, orders.loaded_at) as loaded_at

    from lines
    inner join orders on lines.order_number = orders.order_number
    {{ left_join_version_at(
        ref('dim_products'), 'products', 'product_code', 'lines.product_code', 'orders.order_date'
    ) }}

)

select
    *,
    cast(quantity_ordered * price_each as decimal(18, 2)) as sales_amount,
    cast(quantity_ordered * unit_cost as decimal(18, 2)) as cost_amount,
    cast(quantity_ordered * (price_each - unit_cost) as decimal(18, 2)) as gross_profit
from joined
