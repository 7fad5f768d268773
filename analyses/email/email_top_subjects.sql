-- Subjects ranked by click-through rate over all send days (ties: more emails sent first), with their funnel.
select
    subject,
    sum(emails_sent) as emails_sent,
    sum(unique_opened) as unique_opened,
    sum(unique_clicked) as unique_clicked,
    sum(unique_opened) / nullif(sum(emails_delivered), 0) as open_rate,
    sum(unique_clicked) / nullif(sum(emails_delivered), 0) as click_through_rate,
    sum(unique_clicked) / nullif(sum(unique_opened), 0) as click_to_open_rate
from {{ ref('agg_email_funnel_daily') }}
group by subject
order by click_through_rate desc nulls last, emails_sent desc
