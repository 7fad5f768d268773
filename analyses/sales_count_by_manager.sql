-- Count of sales (orders) by the manager of the sales rep on the order date.
select
    reps.manager_employee_number,
    reps.manager_full_name,
    count(*) as orders,
    sum(orders.sales_amount) as sales_amount
from {{ ref('fct_orders') }} as orders
inner join {{ ref('dim_employees') }} as reps on orders.sales_rep_employee_key = reps.employee_key
group by reps.manager_employee_number, reps.manager_full_name
order by orders desc
