with

source as (

    select * from {{ source('email', 'email_events') }}

),

renamed as (

    select
        -- ids
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(user as bigint) as customer_number,
        cast(partner as {{ dbt.type_string() }}) as partner_id,

        -- attributes
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        cast(subject as {{ dbt.type_string() }}) as subject,
        cast(layout as {{ dbt.type_string() }}) as layout,
        cast(algorithms as {{ type_json() }}) as algorithms,
        cast(email_provider as {{ dbt.type_string() }}) as email_provider,
        cast(device as {{ dbt.type_string() }}) as device,
        cast(os as {{ dbt.type_string() }}) as os,
        cast(datetime_raw as {{ dbt.type_string() }}) as datetime_raw,
        cast(extra_fields as {{ type_json() }}) as extra_fields,

        -- flags
        coalesce(cast(bounce as boolean), false) as is_bounced,
        coalesce(cast(complaint as boolean), false) as is_complaint,

        -- stream position
        cast(shard_id as {{ dbt.type_string() }}) as shard_id,
        cast(sequence_number as {{ dbt.type_string() }}) as sequence_number,

        -- timestamps
        cast(event_at as {{ type_timestamp_tz() }}) as event_at,
        cast(approximate_arrival_at as {{ type_timestamp_tz() }}) as arrived_at,
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

),

ranked as (

    -- At-least-once delivery: keep the first arrival of each event. Sequence numbers have up to 129 digits
    -- (beyond any integer type): ordered by length, then text, they sort as the integers they are.
    select
        *,
        row_number() over (
            partition by event_id, event_type, event_at
            order by arrived_at, shard_id, length(sequence_number), sequence_number
        ) as arrival_order
    from renamed

),

deduplicated as (

    select
        event_id,
        customer_number,
        partner_id,
        event_type,
        subject,
        layout,
        algorithms,
        email_provider,
        device,
        os,
        datetime_raw,
        extra_fields,
        is_bounced,
        is_complaint,
        shard_id,
        sequence_number,
        event_at,
        arrived_at,
        loaded_at
    from ranked
    where arrival_order = 1

)

select * from deduplicated
