{%- set text, whole, instant = dbt.type_string(), dbt.type_bigint(), type_timestamp_tz() %}
with

source as (

    {{ optional_source('shop', 'transactions', {
        'topic': text, 'topic_partition': whole, 'message_offset': whole, 'transaction_no': text,
        'product_no': text, 'customer_no': text, 'product_name': text, 'country': text, 'date_raw': text,
        'extra_fields': text, 'price': 'decimal(12, 2)', 'quantity': whole, 'transacted_at': instant,
        'message_at': instant, '_dlt_load_id': text
    }) }}

),

renamed as (

    select
        -- ids
        cast(topic as {{ dbt.type_string() }}) as topic,
        cast(topic_partition as {{ dbt.type_bigint() }}) as topic_partition,
        cast(message_offset as {{ dbt.type_bigint() }}) as message_offset,
        cast(transaction_no as {{ dbt.type_string() }}) as transaction_no,
        cast(product_no as {{ dbt.type_string() }}) as product_no,
        cast(customer_no as {{ dbt.type_string() }}) as customer_no,

        -- attributes
        cast(product_name as {{ dbt.type_string() }}) as product_name,
        cast(country as {{ dbt.type_string() }}) as country,
        cast(date_raw as {{ dbt.type_string() }}) as date_raw,
        cast(extra_fields as {{ dbt.type_string() }}) as extra_fields,

        -- amounts
        cast(price as decimal(12, 2)) as unit_price,
        cast(quantity as {{ dbt.type_bigint() }}) as quantity,

        -- timestamps (UTC)
        {{ utc_timestamp('transacted_at') }} as transacted_at,
        {{ utc_timestamp('message_at') }} as message_at,
        {{ utc_timestamp(dlt_loaded_at('_dlt_load_id')) }} as loaded_at

    from source

)

select * from renamed
