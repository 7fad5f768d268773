-- Fails (one row with every figure) when the email marts disagree with the distinct valid events in raw:
-- raw_email.email_events holds each stream record once, and an event is distinct by event_id, event_type and
-- its instant. The daily funnel counts the emails whose send has arrived (docs: email_funnel_rules).
with

raw_events as (

    select distinct
        event_id,
        event_type,
        event_at
    from {{ source('email', 'email_events') }}

),

raw_emails as (

    select
        event_id,
        bool_or(event_type = 'sent') as has_send,
        bool_or(event_type in ('opened', 'clicked')) as is_opened,
        bool_or(event_type = 'clicked') as is_clicked
    from raw_events
    group by event_id

),

raw_event_counts as (

    select
        count(*) filter (where event_type = 'sent') as sent_events,
        count(*) filter (where event_type = 'opened') as opened_events,
        count(*) filter (where event_type = 'clicked') as clicked_events
    from raw_events

),

raw_email_counts as (

    select
        count(*) as emails,
        count(*) filter (where has_send) as emails_sent,
        count(*) filter (where has_send and is_opened) as emails_opened,
        count(*) filter (where has_send and is_clicked) as emails_clicked
    from raw_emails

),

event_mart as (

    select
        count(*) filter (where event_type = 'sent') as sent_events,
        count(*) filter (where event_type = 'opened') as opened_events,
        count(*) filter (where event_type = 'clicked') as clicked_events
    from {{ ref('fct_email_events') }}

),

send_mart as (

    select
        count(*) as emails,
        count(*) filter (where is_send_received) as emails_sent,
        coalesce(sum(open_count), 0) as opened_events,
        coalesce(sum(click_count), 0) as clicked_events
    from {{ ref('fct_email_sends') }}

),

funnel_mart as (

    select
        coalesce(sum(emails_sent), 0) as emails_sent,
        coalesce(sum(unique_opened), 0) as emails_opened,
        coalesce(sum(unique_clicked), 0) as emails_clicked
    from {{ ref('agg_email_funnel_daily') }}

),

usage_mart as (

    select
        coalesce(sum(sent_events), 0) as sent_events,
        coalesce(sum(opened_events), 0) as opened_events,
        coalesce(sum(clicked_events), 0) as clicked_events
    from {{ ref('fct_partner_usage_minutely') }}

),

figures as (

    select
        raw_event_counts.sent_events as raw_sent_events,
        raw_event_counts.opened_events as raw_opened_events,
        raw_event_counts.clicked_events as raw_clicked_events,
        raw_email_counts.emails as raw_emails,
        raw_email_counts.emails_sent as raw_emails_sent,
        raw_email_counts.emails_opened as raw_emails_opened,
        raw_email_counts.emails_clicked as raw_emails_clicked,
        event_mart.sent_events as events_sent_events,
        event_mart.opened_events as events_opened_events,
        event_mart.clicked_events as events_clicked_events,
        send_mart.emails as sends_emails,
        send_mart.emails_sent as sends_emails_sent,
        send_mart.opened_events as sends_opened_events,
        send_mart.clicked_events as sends_clicked_events,
        funnel_mart.emails_sent as funnel_emails_sent,
        funnel_mart.emails_opened as funnel_emails_opened,
        funnel_mart.emails_clicked as funnel_emails_clicked,
        usage_mart.sent_events as usage_sent_events,
        usage_mart.opened_events as usage_opened_events,
        usage_mart.clicked_events as usage_clicked_events
    from raw_event_counts
    cross join raw_email_counts
    cross join event_mart
    cross join send_mart
    cross join funnel_mart
    cross join usage_mart

)

select * from figures
where not (
    events_sent_events = raw_sent_events
    and events_opened_events = raw_opened_events
    and events_clicked_events = raw_clicked_events
    and usage_sent_events = raw_sent_events
    and usage_opened_events = raw_opened_events
    and usage_clicked_events = raw_clicked_events
    and sends_opened_events = raw_opened_events
    and sends_clicked_events = raw_clicked_events
    and sends_emails = raw_emails
    and sends_emails_sent = raw_emails_sent
    and funnel_emails_sent = raw_emails_sent
    and funnel_emails_opened = raw_emails_opened
    and funnel_emails_clicked = raw_emails_clicked
)
