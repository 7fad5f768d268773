-- Time to ship (order date -> shipped date), per month of order date; unshipped orders are left out.
select
    date_trunc('month', order_date) as order_month,
    count(*) as shipped_orders,
    round(avg(days_to_ship), 1) as average_days_to_ship,
    max(days_to_ship) as max_days_to_ship,
    count(*) filter (where is_shipped_late) as late_orders
from {{ ref('fct_orders') }}
where shipped_date is not null
group by date_trunc('month', order_date)
order by order_month
