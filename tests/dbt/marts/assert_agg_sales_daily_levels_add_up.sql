-- Every amount of a day's category, sub-category, brand and finest rows adds up exactly to the day's total.
{%- set amounts = [
    'quantity_ordered', 'sales_captured', 'closed_sales_amount', 'cost_amount', 'gross_profit',
    'payment_fee_amount', 'shipping_cost_amount', 'tax_amount', 'net_profit',
] %}
with

levels as (

    select
        sales_date,
        grouping_level,
        {% for amount in amounts -%}
            sum({{ amount }}) as {{ amount }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref('agg_sales_daily') }}
    group by sales_date, grouping_level

)

select
    levels.sales_date,
    levels.grouping_level
from levels
inner join levels as day_totals
    on
        levels.sales_date = day_totals.sales_date
        and day_totals.grouping_level = 'day'
where
    {% for amount in amounts -%}
        levels.{{ amount }} != day_totals.{{ amount }}{% if not loop.last %} or{% endif %}
    {% endfor %}
