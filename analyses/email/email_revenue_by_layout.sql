-- Attributed revenue and orders by the layout of the winning email touch; the null layout row is organic.
select
    layout,
    count(*) as orders,
    sum(attributed_revenue) as attributed_revenue,
    sum(organic_revenue) as organic_revenue
from {{ ref('fct_order_attribution') }}
group by layout
order by attributed_revenue desc, layout asc nulls last
