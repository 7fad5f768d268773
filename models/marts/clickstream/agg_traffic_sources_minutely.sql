{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['view_minute', 'traffic_source'],
    on_schema_change='fail',
    tags=['clickstream_near_real_time']
) }}

{#-
    Traffic source × minute (UTC, of the views' own time): page views, unique visitors and the source's rank in its
    minute (1 = most views; ties share a rank), so the top sources of a minute are source_rank <= N.
-#}
{%- set view_minute = clickstream_window_start('viewed_at', 60) %}
with

page_views as (

    select
        traffic_source,
        customer_id,
        loaded_at,
        {{ view_minute }} as view_minute
    from {{ ref('fct_page_views') }}
    {{ clickstream_touched_windows_filter(view_minute) }}

),

minutely as (

    select
        view_minute,
        traffic_source,
        count(*) as page_views,
        count(distinct customer_id) as unique_visitors,
        max(loaded_at) as last_loaded_at
    from page_views
    group by view_minute, traffic_source

)

select
    view_minute,
    traffic_source,
    cast(page_views as integer) as page_views,
    cast(unique_visitors as integer) as unique_visitors,
    cast(rank() over (partition by view_minute order by page_views desc) as integer) as source_rank,
    last_loaded_at
from minutely
