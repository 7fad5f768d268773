-- Attributed revenue by recommendation algorithm, through bridge_email_algorithms: full credit (each algorithm
-- of the email gets the whole order: do not sum across algorithms) and weighted credit (split equally: sums to
-- the total attributed revenue).
select
    bridge.algorithm,
    count(*) as orders,
    sum(attribution.attributed_revenue) as attributed_revenue_full_credit,
    sum(attribution.attributed_revenue * bridge.algorithm_weight) as attributed_revenue_weighted
from {{ ref('fct_order_attribution') }} as attribution
inner join {{ ref('bridge_email_algorithms') }} as bridge
    on attribution.attributed_event_id = bridge.event_id
group by bridge.algorithm
order by attributed_revenue_weighted desc
