{%- set text, whole, instant = dbt.type_string(), dbt.type_bigint(), type_timestamp_tz() %}
with

source as (

    {{ optional_source('shop', 'transactions_rejected', {
        'topic': text, 'topic_partition': whole, 'message_offset': whole, 'message_key': text, 'reason': text,
        'reason_detail': text, 'payload': text, 'payload_is_base64': dbt.type_boolean(), 'message_at': instant,
        '_dlt_load_id': text
    }) }}

),

renamed as (

    select
        -- ids
        cast(topic as {{ dbt.type_string() }}) as topic,
        cast(topic_partition as {{ dbt.type_bigint() }}) as topic_partition,
        cast(message_offset as {{ dbt.type_bigint() }}) as message_offset,
        cast(message_key as {{ dbt.type_string() }}) as message_key,

        -- attributes
        {{ rejected_record_columns() }},

        -- timestamps (UTC)
        {{ utc_timestamp('message_at') }} as message_at,
        {{ utc_timestamp(dlt_loaded_at('_dlt_load_id')) }} as loaded_at

    from source

)

select * from renamed
