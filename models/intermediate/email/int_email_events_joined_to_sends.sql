{#-
    Every distinct email event with the attributes of its email's send attached and its times as UTC timestamps.
    An open or click whose send has not arrived yet is kept, with null send attributes (is_send_received false).
-#}
with

events as (

    select
        -- ids
        event_id,
        event_type,

        -- attributes
        customer_number,
        partner_id,
        subject,
        layout,
        cast(algorithms as varchar[]) as algorithms,
        email_provider,
        device,
        os,
        is_bounced,
        is_complaint,

        -- stream position
        datetime_raw,
        shard_id,
        sequence_number,

        -- timestamps
        {{ utc_timestamp('event_at') }} as event_at,
        {{ utc_timestamp('arrived_at') }} as arrived_at,
        {{ utc_timestamp('loaded_at') }} as loaded_at

    from {{ ref('stg_email__events') }}

),

sends as (

    -- The email's send is its first sent event (a send re-published with another time is the same email);
    -- it bounced, or drew a complaint, when any of its sent events says so.
    select
        event_id,
        event_at as sent_at,
        customer_number,
        partner_id,
        subject,
        layout,
        algorithms,
        email_provider,
        bool_or(is_bounced) over (partition by event_id) as is_bounced,
        bool_or(is_complaint) over (partition by event_id) as is_complaint
    from events
    where event_type = 'sent'
    qualify row_number() over (
        partition by event_id
        order by event_at, arrived_at, shard_id, length(sequence_number), sequence_number
    ) = 1

),

joined as (

    select
        -- ids
        {{ surrogate_key(['events.event_id', 'events.event_type', 'events.event_at']) }} as event_key,
        events.event_id,
        events.event_type,

        -- the email's attributes, from its send
        sends.customer_number,
        sends.partner_id,
        sends.subject,
        sends.layout,
        sends.email_provider,
        sends.algorithms,
        coalesce(sends.is_bounced, false) as is_bounced,
        coalesce(sends.is_complaint, false) as is_complaint,
        sends.event_id is not null as is_send_received,

        -- the event's own attributes
        events.device,
        events.os,

        -- timestamps (UTC)
        events.event_at,
        cast(events.event_at as date) as event_date,
        sends.sent_at,
        epoch(events.event_at - sends.sent_at) / 60 as minutes_since_sent,

        -- lineage
        events.datetime_raw,
        events.shard_id,
        events.sequence_number,
        events.arrived_at,
        events.loaded_at

    from events
    left join sends on events.event_id = sends.event_id

)

select * from joined
