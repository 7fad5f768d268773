{#- Accesses by device and operating system: page views, unique visitors and sessions. -#}
with

page_views as (

    select * from {{ ref('fct_page_views') }}

),

sessions as (

    select * from {{ ref('fct_sessions') }}

),

views_per_device as (

    select
        device,
        coalesce(os, 'unknown') as os,
        count(*) as page_views,
        count(distinct customer_id) as unique_visitors
    from page_views
    group by device, coalesce(os, 'unknown')

),

sessions_per_device as (

    select
        device,
        coalesce(os, 'unknown') as os,
        count(*) as sessions
    from sessions
    group by device, coalesce(os, 'unknown')

)

select
    views_per_device.device,
    views_per_device.os,
    cast(views_per_device.page_views as integer) as page_views,
    cast(views_per_device.unique_visitors as integer) as unique_visitors,
    cast(coalesce(sessions_per_device.sessions, 0) as integer) as sessions
from views_per_device
left join sessions_per_device
    on
        views_per_device.device = sessions_per_device.device
        and views_per_device.os = sessions_per_device.os
