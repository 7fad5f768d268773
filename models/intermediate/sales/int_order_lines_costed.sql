{#-
    One row per order line of fct_order_lines with its costs from seed cost_assumptions (the customer's
    country, else the default row), each rounded to the cent once, here, so every sum of lines (per order,
    day, category, ...) adds up exactly at every level:
      payment_fee   = sales_amount × payment_fee_rate
      shipping_cost = shipping_cost_per_order × the line's share of its order's sales
      tax           = sales_amount × tax_rate
      net_profit    = gross_profit − payment_fee − shipping_cost − tax
    Computed on read from the fact (a view), so new cost assumptions or a line deleted from an order (its
    siblings' shipping shares change) never leave stale costs stored anywhere; a table measured slower (its
    write costs more than the two readers' second pass). Order totals come from a grouped join: at 1M lines
    about twice as fast as a window over the order in DuckDB.
-#}
with

-- a left join on true: a seed without the default row leaves the rates of other countries null (test
-- assert_cost_assumptions_have_one_default_row fails), it never drops lines
default_assumptions as (

    select * from {{ ref('cost_assumptions') }}
    where country = '{{ var("cost_assumptions_default_country") }}'

),

order_totals as (

    select
        order_number,
        sum(sales_amount) as order_sales_amount
    from {{ ref('fct_order_lines') }}
    group by order_number

),

rated as (

    select
        order_lines.*,
        products.category,
        products.sub_category,
        products.brand,
        order_totals.order_sales_amount,
        coalesce(assumptions.payment_fee_rate, default_assumptions.payment_fee_rate) as payment_fee_rate,
        coalesce(
            assumptions.shipping_cost_per_order, default_assumptions.shipping_cost_per_order
        ) as shipping_cost_per_order,
        coalesce(assumptions.tax_rate, default_assumptions.tax_rate) as tax_rate
    from {{ ref('fct_order_lines') }} as order_lines
    inner join order_totals on order_lines.order_number = order_totals.order_number
    inner join {{ ref('dim_products') }} as products on order_lines.product_key = products.product_key
    inner join {{ ref('dim_customers') }} as customers on order_lines.customer_key = customers.customer_key
    left join {{ ref('cost_assumptions') }} as assumptions on customers.country = assumptions.country
    left join default_assumptions on true

),

costed as (

    select
        *,
        cast(round(sales_amount * payment_fee_rate, 2) as decimal(18, 2)) as payment_fee_amount,
        cast(
            {{ decimal_share('shipping_cost_per_order', 'sales_amount', 'order_sales_amount') }} as decimal(18, 2)
        ) as shipping_cost_amount,
        cast(round(sales_amount * tax_rate, 2) as decimal(18, 2)) as tax_amount
    from rated

)

select
    *,
    gross_profit - payment_fee_amount - shipping_cost_amount - tax_amount as net_profit
from costed
