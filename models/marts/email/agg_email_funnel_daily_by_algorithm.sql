{#-
    agg_email_funnel_daily per recommendation algorithm, through bridge_email_algorithms: an email filled by
    three algorithms counts once under each of them, so figures add up within one algorithm but not across
    algorithms (the email totals are in agg_email_funnel_daily).
-#}
{%- set grain = ['sent_date', 'algorithm', 'partner_id', 'subject', 'layout', 'email_provider'] -%}

with

sends as (

    select * from {{ ref('fct_email_sends') }}
    where is_send_received

),

bridge as (

    select
        event_id,
        algorithm
    from {{ ref('bridge_email_algorithms') }}

),

daily as (

    select
        {{ grain | join(', ') }},
        {{ email_funnel_counts() }}
    from sends
    inner join bridge on sends.event_id = bridge.event_id
    group by all

)

select
    {{ email_funnel_columns('funnel_algorithm_key', grain) }}
from daily
