-- Attributed revenue and orders by the subject of the winning email touch; the null subject row is organic.
select
    subject,
    count(*) as orders,
    sum(attributed_revenue) as attributed_revenue,
    sum(organic_revenue) as organic_revenue
from {{ ref('fct_order_attribution') }}
group by subject
order by attributed_revenue desc, subject asc nulls last
