-- Sales by sales rep (the customer's rep on the order date); 'Unknown' = customers without a rep.
select
    reps.employee_number,
    reps.full_name,
    sum(orders.sales_amount) as sales_amount
from {{ ref('fct_orders') }} as orders
inner join {{ ref('dim_employees') }} as reps on orders.sales_rep_employee_key = reps.employee_key
group by reps.employee_number, reps.full_name
order by sales_amount desc
