{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='sales_date',
    on_schema_change='fail',
    post_hook="{{ delete_days_without_order_lines() }}"
) }}

{#-
    Day (order date) × category × sub-category × brand, plus the day's roll-ups per category, per
    sub-category, per brand and in all (grouping_level), so distinct order counts are right at every level.
    A rolled-up attribute reads '(all)'. Add rows up within one grouping_level only.
    Net profit per order line, from seeds/cost_assumptions (by the customer's country, else the default row):
      payment_fee   = sales_amount × payment_fee_rate
      shipping_cost = shipping_cost_per_order × the line's share of its order's sales
      tax           = sales_amount × tax_rate
      net_profit    = gross_profit − payment_fee − shipping_cost − tax
    Incremental, by whole days (delete+insert on sales_date: every grouping level of a day is rebuilt together):
    each run rebuilds the days within var lookback_days of the newest day here, the days with an order line
    (re)built in fct_order_lines since the newest load here, and the days whose line count here no longer
    matches fct_order_lines (a line deleted at the source); every day when the seeds behind the grouping and
    the net profit changed (seeds_fingerprint); a post-hook drops days left without order lines. All the lines
    of an order share its date, so the per-order shipping split only needs the rebuilt days' lines.
-#}
{%- set levels = {
    'category_sub_category_brand': ['category', 'sub_category', 'brand'],
    'category': ['category'],
    'sub_category': ['sub_category'],
    'brand': ['brand'],
    'day': [],
} -%}

with

-- the seeds behind the grouping and the net profit: a change restates every day
seeds as (

    select
        md5(concat_ws(
            '#',
            '{{ var("cost_assumptions_default_country") }}',
            (
                select
                    string_agg(
                        concat_ws('|', country, payment_fee_rate, shipping_cost_per_order, tax_rate), ';'
                        order by country
                    )
                from {{ ref('cost_assumptions') }}
            ),
            (
                select string_agg(concat_ws('|', hierarchy_level, source_column), ';' order by hierarchy_level)
                from {{ ref('product_hierarchy_mapping') }}
            )
        )) as seeds_fingerprint

),

{% if is_incremental() %}

    -- every day whose rows may differ from a full refresh
    rebuilt_days as (

        select order_date from {{ ref('fct_order_lines') }}
        where
            order_date >= {{ incremental_lookback_start('sales_date') }}
            or loaded_at > {{ incremental_loaded_since() }}
        union
        {{ keys_whose_line_count_changed('sales_date', 'order_date', "grouping_level = 'day'") }}
        union
        -- every day when the seeds changed
        select order_date from {{ ref('fct_order_lines') }}
        where exists (
            select 1 from {{ this }}
            where seeds_fingerprint is distinct from (select seeds_fingerprint from seeds)
        )

    ),

{% endif %}

order_lines as (

    select * from {{ ref('fct_order_lines') }}
    {%- if is_incremental() %}
        where order_date in (select order_date from rebuilt_days)
    {%- endif %}

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
        order_lines.loaded_at,
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
        cast(count(*) as integer) as line_count,
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
        cast(sum(net_profit) as decimal(18, 2)) as net_profit,

        -- lineage
        (select seeds_fingerprint from seeds) as seeds_fingerprint,
        max(loaded_at) as loaded_at

    from lines
    group by order_date{% for attribute in kept %}, {{ attribute }}{% endfor %}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
