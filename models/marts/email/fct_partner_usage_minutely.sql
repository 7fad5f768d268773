{#-
    Partner × minute (UTC, of the event's own time): email events by type, for billing the email platform's
    partners. Opens and clicks whose send has not arrived have no partner yet: they are counted under a null
    partner_id until the send arrives, then move to their partner's minute.
-#}
with

events as (

    select * from {{ ref('fct_email_events') }}

),

minutely as (

    select
        partner_id,
        date_trunc('minute', event_at) as usage_minute,
        count(*) filter (where event_type = 'sent') as sent_events,
        count(*) filter (where event_type = 'opened') as opened_events,
        count(*) filter (where event_type = 'clicked') as clicked_events,
        count(*) as total_events
    from events
    group by all

)

select
    -- ids
    {{ email_grain_key(['partner_id', 'usage_minute']) }} as partner_minute_key,
    partner_id,

    -- timestamps (UTC)
    usage_minute,
    cast(usage_minute as date) as usage_date,

    -- counts
    cast(sent_events as integer) as sent_events,
    cast(opened_events as integer) as opened_events,
    cast(clicked_events as integer) as clicked_events,
    cast(total_events as integer) as total_events

from minutely
