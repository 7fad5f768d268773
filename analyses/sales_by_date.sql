-- Total sales by sale date, rolled up by day, month and year (null = subtotal of the level above).
select
    dates.year_number,
    dates.month_number,
    dates.date_day,
    sum(orders.sales_amount) as sales_amount
from {{ ref('fct_orders') }} as orders
inner join {{ ref('dim_dates') }} as dates on orders.order_date = dates.date_day
group by rollup(dates.year_number, dates.month_number, dates.date_day)
order by dates.year_number, dates.month_number, dates.date_day nulls first
