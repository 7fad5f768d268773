{%- set text = dbt.type_string() %}
with

source as (

    {{ optional_source('clickstream', 'page_views_rejected', {
        'shard_id': text, 'sequence_number': text, 'partition_key': text, 'reason': text, 'reason_detail': text,
        'payload': text, 'payload_is_base64': dbt.type_boolean(),
        'approximate_arrival_at': type_timestamp_tz(), '_dlt_load_id': text
    }) }}

),

renamed as (

    select
        -- ids
        cast(shard_id as {{ dbt.type_string() }}) as shard_id,
        cast(sequence_number as {{ dbt.type_string() }}) as sequence_number,
        cast(partition_key as {{ dbt.type_string() }}) as partition_key,

        -- attributes
        {{ rejected_record_columns() }},

        -- timestamps (UTC)
        {{ utc_timestamp('approximate_arrival_at') }} as arrived_at,
        {{ utc_timestamp(dlt_loaded_at('_dlt_load_id')) }} as loaded_at

    from source

)

select * from renamed
