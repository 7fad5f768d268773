-- Emails sent, delivered, opened and clicked per send day (UTC), with open, click-through and click-to-open
-- rates computed from the day's sums (docs: email_funnel_rules).
select
    sent_date,
    sum(emails_sent) as emails_sent,
    sum(emails_delivered) as emails_delivered,
    sum(unique_opened) as unique_opened,
    sum(unique_clicked) as unique_clicked,
    sum(bounces) as bounces,
    sum(complaints) as complaints,
    sum(unique_opened) / nullif(sum(emails_delivered), 0) as open_rate,
    sum(unique_clicked) / nullif(sum(emails_delivered), 0) as click_through_rate,
    sum(unique_clicked) / nullif(sum(unique_opened), 0) as click_to_open_rate
from {{ ref('agg_email_funnel_daily') }}
group by sent_date
order by sent_date
