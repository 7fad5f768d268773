-- How fast people open and click, by the device and OS of the first open: median and 90th percentile minutes.
select
    first_opened_device as device,
    first_opened_os as os,
    count(*) as emails_opened,
    median(minutes_to_open) as median_minutes_to_open,
    quantile_cont(minutes_to_open, 0.9) as p90_minutes_to_open,
    median(minutes_to_click) as median_minutes_to_click
from {{ ref('fct_email_sends') }}
where is_opened and is_send_received
group by all
order by emails_opened desc
