-- Stock quantity per product per month (at month end), with the month's units sold.
select
    product_code,
    month_end_date,
    quantity_in_stock,
    stock_value_at_cost,
    units_sold
from {{ ref('fct_inventory_monthly') }}
order by product_code, month_end_date
