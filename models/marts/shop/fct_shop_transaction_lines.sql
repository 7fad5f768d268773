{#-
    One row per transaction line of the shop (one Kafka message), with the cancellation rule applied
    (shop_sales_rules): a `C` transaction takes units back, and its amount counts as cancelled sales.
-#}
with

transactions as (

    select * from {{ ref('stg_shop__transactions') }}

),

classified as (

    select
        *,
        cast(unit_price * quantity as decimal(14, 2)) as line_amount,
        substring(transaction_no, 1, 1) = 'C' as is_cancellation
    from transactions

)

select
    -- ids
    {{ surrogate_key(['topic', 'topic_partition', 'message_offset']) }} as transaction_line_key,
    transaction_no,
    product_no,
    customer_no,

    -- attributes
    product_name,
    country,
    is_cancellation,

    -- amounts
    unit_price,
    quantity,
    line_amount,
    case when is_cancellation then 0 else quantity end as sold_units,
    case when is_cancellation then -quantity else 0 end as cancelled_units,
    cast(case when is_cancellation then 0 else line_amount end as decimal(14, 2)) as gross_sales,
    cast(case when is_cancellation then -line_amount else 0 end as decimal(14, 2)) as cancelled_sales,

    -- timestamps (UTC)
    transacted_at,
    {{ dbt.date_trunc('minute', 'transacted_at') }} as transaction_minute,
    cast(transacted_at as date) as transaction_date,
    loaded_at,

    -- where the line came from
    topic,
    topic_partition,
    message_offset

from classified
