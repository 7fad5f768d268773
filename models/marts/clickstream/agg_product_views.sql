{#- Product pages: views and unique visitors per product code, ranked (1 = most viewed; ties share a rank). -#}
with

product_views as (

    select * from {{ ref('fct_page_views') }}
    where page_type = 'product'

),

per_product as (

    select
        product_code,
        count(*) as page_views,
        count(distinct customer_id) as unique_visitors,
        min(viewed_at) as first_viewed_at,
        max(viewed_at) as last_viewed_at
    from product_views
    group by product_code

)

select
    product_code,
    cast(page_views as integer) as page_views,
    cast(unique_visitors as integer) as unique_visitors,
    cast(rank() over (order by page_views desc) as integer) as view_rank,
    first_viewed_at,
    last_viewed_at
from per_product
