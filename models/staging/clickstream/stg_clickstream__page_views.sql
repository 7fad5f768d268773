{#- One row per distinct page view (event_id): the first arrival of a view the producer sent more than once. -#}
{%- set text, instant = dbt.type_string(), type_timestamp_tz() %}
with

source as (

    {{ optional_source('clickstream', 'page_views', {
        'event_id': text, 'customer_id': dbt.type_bigint(), 'device': text, 'os': text, 'url': text,
        'traffic_source': text, 'referrer': text, 'datetime_raw': text, 'event_at': instant,
        'shard_id': text, 'sequence_number': text, 'approximate_arrival_at': instant, '_dlt_load_id': text
    }) }}

),

renamed as (

    select
        -- ids
        cast(event_id as {{ dbt.type_string() }}) as page_view_id,
        cast(customer_id as {{ dbt.type_bigint() }}) as customer_id,

        -- attributes
        cast(device as {{ dbt.type_string() }}) as device,
        cast(os as {{ dbt.type_string() }}) as os,
        cast(url as {{ dbt.type_string() }}) as url,
        cast(traffic_source as {{ dbt.type_string() }}) as traffic_source,
        cast(referrer as {{ dbt.type_string() }}) as referrer,
        cast(datetime_raw as {{ dbt.type_string() }}) as datetime_raw,

        -- stream position
        cast(shard_id as {{ dbt.type_string() }}) as shard_id,
        cast(sequence_number as {{ dbt.type_string() }}) as sequence_number,

        -- timestamps (UTC)
        {{ utc_timestamp('event_at') }} as viewed_at,
        {{ utc_timestamp('approximate_arrival_at') }} as arrived_at,
        {{ utc_timestamp(dlt_loaded_at('_dlt_load_id')) }} as loaded_at

    from source

),

ranked as (

    -- Sequence numbers are longer than any integer type: ordered by length, then text, they sort as integers.
    select
        *,
        row_number() over (
            partition by page_view_id
            order by arrived_at, shard_id, {{ dbt.length('sequence_number') }}, sequence_number
        ) as arrival_order
    from renamed

),

deduplicated as (

    select
        page_view_id,
        customer_id,
        device,
        os,
        url,
        traffic_source,
        referrer,
        datetime_raw,
        shard_id,
        sequence_number,
        viewed_at,
        arrived_at,
        loaded_at
    from ranked
    where arrival_order = 1

)

select * from deduplicated
