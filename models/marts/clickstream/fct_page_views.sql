{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key='page_view_id',
    on_schema_change='fail',
    tags=['clickstream_near_real_time']
) }}

{#-
    One row per distinct page view, with the page it shows (home, category, product, cart, checkout) and the
    product or category in its URL. Incremental (merge on page_view_id): each run adds the views loaded after the
    newest load already here; a view sent twice is one row (staging keeps its first arrival).
-#}
with

page_views as (

    select * from {{ ref('stg_clickstream__page_views') }}
    {%- if is_incremental() %}
        where loaded_at > (select coalesce(max(loaded_at), {{ clickstream_epoch() }}) from {{ this }})
    {%- endif %}

),

classified as (

    select
        *,
        case
            when url = '/' then 'home'
            when url like '/category/%' then 'category'
            when url like '/product/%' then 'product'
            when url = '/cart' then 'cart'
            when url = '/checkout' then 'checkout'
            else 'other'
        end as page_type,
        {{ dbt.split_part('url', "'/'", 3) }} as path_item
    from page_views

),

with_items as (

    select
        *,
        case when page_type = 'product' then path_item end as product_code,
        case when page_type = 'category' then path_item end as category_slug
    from classified

)

select
    -- ids
    page_view_id,
    customer_id,

    -- attributes
    device,
    os,
    url,
    page_type,
    traffic_source,
    referrer,
    product_code,
    category_slug,

    -- timestamps (UTC)
    viewed_at,
    arrived_at,
    loaded_at

from with_items
