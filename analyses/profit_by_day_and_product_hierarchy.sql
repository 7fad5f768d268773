-- Orders closed, sales captured, gross and net profit per day: in all, per category, per sub-category, per brand.
select
    sales_date,
    grouping_level,
    category,
    sub_category,
    brand,
    orders_closed,
    sales_captured,
    gross_profit,
    net_profit
from {{ ref('agg_sales_daily') }}
where grouping_level in ('day', 'category', 'sub_category', 'brand')
order by sales_date, grouping_level, category, sub_category, brand
