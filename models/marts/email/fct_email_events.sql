{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key='event_key',
    on_schema_change='fail'
) }}

{#-
    One row per distinct email event (event_id, event_type, event_at) with its email's send attached and its
    times as UTC timestamps. An open or click whose send has not arrived yet is kept, with null send attributes
    (is_send_received false); a send that leaves an attribute out gets the explicit unknown value.
    Incremental (merge on event_key): each run rebuilds every event of the emails with an event loaded within
    var email_lookback_hours of the newest load here, so opens that came before their send get the send's
    attributes once it arrives. `dbt build --full-refresh` gives the same rows.
-#}
with

events as (

    select
        event_id,
        event_type,
        customer_number,
        partner_id,
        subject,
        layout,
        {{ json_to_string_array('algorithms') }} as algorithms,
        email_provider,
        device,
        os,
        is_bounced,
        is_complaint,
        datetime_raw,
        shard_id,
        sequence_number,
        {{ utc_timestamp('event_at') }} as event_at,
        {{ utc_timestamp('arrived_at') }} as arrived_at,
        {{ utc_timestamp('loaded_at') }} as loaded_at
    from {{ ref('stg_email__events') }}
    {{ email_lookback_filter(ref('stg_email__events'), utc_timestamp('lookback.loaded_at'), 'loaded_at') }}

),

sent_events as (

    -- The email's send is its first sent event (a send re-published with another time is the same email);
    -- it bounced, or drew a complaint, when any of its sent events says so.
    select
        *,
        bool_or(is_bounced) over (partition by event_id) as is_any_bounced,
        bool_or(is_complaint) over (partition by event_id) as is_any_complaint,
        row_number() over (
            partition by event_id
            order by event_at, arrived_at, shard_id, length(sequence_number), sequence_number
        ) as send_order
    from events
    where event_type = 'sent'

),

sends as (

    -- An attribute the send leaves out is explicitly unknown: the dimensions' unknown member id for the
    -- customer and partner, 'Unknown' for the texts (null keeps meaning "the send has not arrived").
    select
        event_id,
        event_at as sent_at,
        coalesce(customer_number, {{ var('unknown_member_id') }}) as customer_number,
        coalesce(partner_id, '{{ var("unknown_member_id") }}') as partner_id,
        coalesce(subject, 'Unknown') as subject,
        coalesce(layout, 'Unknown') as layout,
        coalesce(email_provider, 'Unknown') as email_provider,
        algorithms,
        is_any_bounced as is_bounced,
        is_any_complaint as is_complaint
    from sent_events
    where send_order = 1

)

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
    {{ email_minutes_between('sends.sent_at', 'events.event_at') }} as minutes_since_sent,

    -- lineage
    events.datetime_raw,
    events.shard_id,
    events.sequence_number,
    events.arrived_at,
    events.loaded_at

from events
left join sends on events.event_id = sends.event_id
