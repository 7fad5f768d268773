{#-
    The daily email funnel by send day (UTC) × partner × subject × layout × provider, over the emails whose send
    has arrived (opens and clicks count on their email's send day). Rates are ratios of these counts:
    open rate = unique opened / delivered, click-through rate = unique clicked / delivered,
    click-to-open rate = unique clicked / unique opened; null when the denominator is 0.
    For a coarser grain, sum the counts and divide the sums (never average the rates).
-#}
{%- set grain = ['sent_date', 'partner_id', 'subject', 'layout', 'email_provider'] -%}

with

sends as (

    select * from {{ ref('fct_email_sends') }}
    where is_send_received

),

daily as (

    select
        {{ grain | join(', ') }},
        {{ email_funnel_counts() }}
    from sends
    group by all

)

select
    {{ email_funnel_columns('funnel_key', grain) }}
from daily
