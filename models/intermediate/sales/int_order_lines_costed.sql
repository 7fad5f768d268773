{#-
    Order lines with the product hierarchy and the net-profit costs of seeds/cost_assumptions (by the
    customer's country, else the default row):
      payment_fee   = sales_amount × payment_fee_rate
      shipping_cost = shipping_cost_per_order × the line's share of its order's sales
      tax           = sales_amount × tax_rate
      net_profit    = gross_profit − payment_fee − shipping_cost − tax
-#}
with

lines as (

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

default_assumptions as (

    select * from assumptions
    where country = '{{ var("cost_assumptions_default_country") }}'

),

rated as (

    select
        lines.order_line_key,
        lines.order_number,
        lines.order_date,
        lines.is_closed,
        products.category,
        products.sub_category,
        products.brand,
        lines.quantity_ordered,
        lines.sales_amount,
        lines.cost_amount,
        lines.gross_profit,
        sum(lines.sales_amount) over (partition by lines.order_number) as order_sales_amount,
        coalesce(assumptions.payment_fee_rate, default_assumptions.payment_fee_rate) as payment_fee_rate,
        coalesce(
            assumptions.shipping_cost_per_order, default_assumptions.shipping_cost_per_order
        ) as shipping_cost_per_order,
        coalesce(assumptions.tax_rate, default_assumptions.tax_rate) as tax_rate
    from lines
    inner join products on lines.product_key = products.product_key
    inner join customers on lines.customer_key = customers.customer_key
    left join assumptions on customers.country = assumptions.country
    cross join default_assumptions

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

)

select
    *,
    gross_profit - payment_fee_amount - shipping_cost_amount - tax_amount as net_profit
from costed
