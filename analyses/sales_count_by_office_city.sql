-- Count of sales (orders) by the city of the sales rep's office on the order date.
select
    offices.city as office_city,
    count(*) as orders,
    sum(orders.sales_amount) as sales_amount
from {{ ref('fct_orders') }} as orders
inner join {{ ref('dim_offices') }} as offices on orders.office_key = offices.office_key
group by offices.city
order by orders desc
