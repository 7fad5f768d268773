-- Events per partner and UTC day for billing (fct_partner_usage_minutely rolled up); null partner = events
-- whose send has not arrived yet.
select
    partner_id,
    usage_date,
    sum(sent_events) as sent_events,
    sum(opened_events) as opened_events,
    sum(clicked_events) as clicked_events,
    sum(total_events) as total_events
from {{ ref('fct_partner_usage_minutely') }}
group by partner_id, usage_date
order by usage_date, partner_id
