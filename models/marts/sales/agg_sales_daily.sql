{#-
    Day (order date) × category × sub-category × brand, plus the day's roll-ups per category, per
    sub-category, per brand and in all (grouping_level), so distinct order counts are right at every level.
    A rolled-up attribute reads '(all)'. Add rows up within one grouping_level only.
    Net profit per order line, from seeds/cost_assumptions (by the customer's country, else the default row):
      payment_fee   = sales_amount × payment_fee_rate
      shipping_cost = shipping_cost_per_order × the line's share of its order's sales
      tax           = sales_amount × tax_rate
      net_profit    = gross_profit − payment_fee − shipping_cost − tax
-#}
{%- set levels = {
    'category_sub_category_brand': ['category', 'sub_category', 'brand'],
    'category': ['category'],
    'sub_category': ['sub_category'],
    'brand': ['brand'],
    'day': [],
} -%}

with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

products as (

    select * from {{ ref('dim_products') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

assumptions as (

    select * from {{ ref('cost_assumptions') }}

),

-- a left join on true: a seed without the default row leaves the rates of other countries null (test
-- assert_cost_assumptions_have_one_default_row fails), it never drops lines
default_assumptions as (

    select * from assumptions
    where country = '{{ var("cost_assumptions_default_country") }}'

),

rated as (

    select
        order_lines.order_line_key,
        order_lines.order_number,
        order_lines.order_date,
        order_lines.is_closed,
        products.category,
        products.sub_category,
        products.brand,
        order_lines.quantity_ordered,
        order_lines.sales_amount,
        order_lines.cost_amount,
        order_lines.gross_profit,
        sum(order_lines.sales_amount) over (partition by order_lines.order_number) as order_sales_amount,
        coalesce(assumptions.payment_fee_rate, default_assumptions.payment_fee_rate) as payment_fee_rate,
        coalesce(
            assumptions.shipping_cost_per_order, default_assumptions.shipping_cost_per_order
        ) as shipping_cost_per_order,
        coalesce(assumptions.tax_rate, default_assumptions.tax_rate) as tax_rate
    from order_lines
    inner join products on order_lines.product_key = products.product_key
    inner join customers on order_lines.customer_key = customers.customer_key
    left join assumptions on customers.country = assumptions.country
    left join default_assumptions on true

),

costed as (

    select
        *,
        cast(sales_amount * payment_fee_rate as decimal(18, 6)) as payment_fee_amount,
        cast(
            shipping_cost_per_order * sales_amount / nullif(order_sales_amount, 0) as decimal(18, 6)
        ) as shipping_cost_amount,
        cast(sales_amount * tax_rate as decimal(18, 6)) as tax_amount
    from rated

),

-- one row per order line with its net profit
lines as (

    select
        *,
        gross_profit - payment_fee_amount - shipping_cost_amount - tax_amount as net_profit
    from costed

)

{% for level, kept in levels.items() %}
    select
        -- grain
        order_date as sales_date,
        '{{ level }}' as grouping_level,
        {% for attribute in ['category', 'sub_category', 'brand'] -%}
            {{ attribute if attribute in kept else "'(all)'" }} as {{ attribute }},
        {% endfor %}

        -- counts
        cast(count(distinct order_number) as integer) as orders_placed,
        cast(count(distinct case when is_closed then order_number end) as integer) as orders_closed,
        cast(sum(quantity_ordered) as bigint) as quantity_ordered,

        -- money
        cast(sum(sales_amount) as decimal(18, 2)) as sales_captured,
        cast(sum(case when is_closed then sales_amount else 0 end) as decimal(18, 2)) as closed_sales_amount,
        cast(sum(cost_amount) as decimal(18, 2)) as cost_amount,
        cast(sum(gross_profit) as decimal(18, 2)) as gross_profit,
        cast(sum(payment_fee_amount) as decimal(18, 2)) as payment_fee_amount,
        cast(sum(shipping_cost_amount) as decimal(18, 2)) as shipping_cost_amount,
        cast(sum(tax_amount) as decimal(18, 2)) as tax_amount,
        cast(sum(net_profit) as decimal(18, 2)) as net_profit

    from lines
    group by order_date{% for attribute in kept %}, {{ attribute }}{% endfor %}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
