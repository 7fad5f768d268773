{#- The traffic source × URL heat map: page views and unique visitors of each URL per traffic source. -#}
with

page_views as (

    select * from {{ ref('fct_page_views') }}

)

select
    traffic_source,
    url,
    page_type,
    cast(count(*) as integer) as page_views,
    cast(count(distinct customer_id) as integer) as unique_visitors
from page_views
group by traffic_source, url, page_type
