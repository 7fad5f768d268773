{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key='event_id',
    on_schema_change='fail'
) }}

{#-
    One row per email (event_id): its send, bounce and complaint, first open and first click, counts, device and
    OS, minutes to open and to click. Emails seen only through opens or clicks (their send not arrived yet) are
    kept with is_send_received false and completed by a later run when the send arrives.
    Incremental (merge on event_id): like fct_email_events, each run rebuilds the emails with an event loaded
    within var email_lookback_hours of the newest load here. `dbt build --full-refresh` gives the same rows.
-#}
{%- set first_by_time = ['event_at', 'event_key'] %}
with

events as (

    select * from {{ ref('fct_email_events') }}
    {{ email_lookback_filter(ref('fct_email_events'), 'lookback.loaded_at', 'last_loaded_at') }}

),

emails as (

    -- Every event of an email carries the same send attributes (fct_email_events), so min() just picks them.
    select
        event_id,
        min(customer_number) as customer_number,
        min(partner_id) as partner_id,
        min(subject) as subject,
        min(layout) as layout,
        min(email_provider) as email_provider,
        min(algorithms) as algorithms,
        bool_or(is_bounced) as is_bounced,
        bool_or(is_complaint) as is_complaint,
        bool_or(is_send_received) as is_send_received,
        min(sent_at) as sent_at,

        -- opens and clicks; ties at the same instant are broken by event_key so every run picks the same one
        count(*) filter (where event_type = 'opened') as open_count,
        count(*) filter (where event_type = 'clicked') as click_count,
        min(event_at) filter (where event_type = 'opened') as first_recorded_open_at,
        min(event_at) filter (where event_type = 'clicked') as first_clicked_at,
        {{ value_at_min('device', first_by_time) }} filter (where event_type = 'opened') as first_open_device,
        {{ value_at_min('os', first_by_time) }} filter (where event_type = 'opened') as first_open_os,
        {{ value_at_min('device', first_by_time) }} filter (where event_type = 'clicked') as first_click_device,
        {{ value_at_min('os', first_by_time) }} filter (where event_type = 'clicked') as first_click_os,

        min(event_at) as first_event_at,
        max(loaded_at) as last_loaded_at

    from events
    group by event_id

),

funnel as (

    -- An email clicked with no recorded open counts as opened, at its first click, on the click's device.
    select
        *,
        open_count > 0 or click_count > 0 as is_opened,
        click_count > 0 as is_clicked,
        open_count = 0 and click_count > 0 as is_open_inferred_from_click,
        coalesce(first_recorded_open_at, first_clicked_at) as first_opened_at,
        case when open_count > 0 then first_open_device else first_click_device end as first_opened_device,
        case when open_count > 0 then first_open_os else first_click_os end as first_opened_os
    from emails

)

select
    -- ids
    funnel.event_id,
    funnel.customer_number,
    coalesce(customers.customer_key, {{ unknown_member_key() }}) as customer_key,
    funnel.partner_id,

    -- the send
    funnel.subject,
    funnel.layout,
    funnel.email_provider,
    funnel.algorithms,
    cast(coalesce({{ array_size('funnel.algorithms') }}, 0) as integer) as algorithm_count,
    funnel.is_send_received,
    funnel.is_bounced,
    funnel.is_complaint,
    funnel.is_send_received and not funnel.is_bounced as is_delivered,

    -- the funnel
    funnel.is_opened,
    funnel.is_clicked,
    funnel.is_open_inferred_from_click,
    cast(funnel.open_count as integer) as open_count,
    cast(funnel.click_count as integer) as click_count,
    funnel.first_opened_device,
    funnel.first_opened_os,
    funnel.first_click_device,
    funnel.first_click_os,

    -- timestamps (UTC) and delays; a reaction stamped before its send (clock skew) counts as 0 minutes
    funnel.sent_at,
    cast(funnel.sent_at as date) as sent_date,
    funnel.first_opened_at,
    funnel.first_clicked_at,
    {{ email_minutes_between('funnel.sent_at', 'funnel.first_opened_at') }} as minutes_to_open,
    {{ email_minutes_between('funnel.sent_at', 'funnel.first_clicked_at') }} as minutes_to_click,
    funnel.first_event_at,
    funnel.last_loaded_at

from funnel
{{ left_join_customer_version_at('funnel.customer_number', 'funnel.sent_at') }}
