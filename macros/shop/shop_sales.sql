{#-
    The sales measures of a group of fct_shop_transaction_lines rows (shop_sales_rules): one list for every
    shop rollup, so the minute, day and product figures add up the same way.
-#}
{% macro shop_sales_measures() -%}
    cast(count(distinct case when not is_cancellation then transaction_no end) as integer) as sale_transactions,
    cast(count(distinct case when is_cancellation then transaction_no end) as integer) as cancellation_transactions,
    cast(sum(sold_units) as {{ dbt.type_bigint() }}) as sold_units,
    cast(sum(cancelled_units) as {{ dbt.type_bigint() }}) as cancelled_units,
    cast(sum(sold_units) - sum(cancelled_units) as {{ dbt.type_bigint() }}) as net_units,
    cast(sum(gross_sales) as decimal(18, 2)) as gross_sales,
    cast(sum(cancelled_sales) as decimal(18, 2)) as cancelled_sales,
    cast(sum(gross_sales) - sum(cancelled_sales) as decimal(18, 2)) as net_sales
{%- endmacro %}

{#-
    Sales per `time_column` of fct_shop_transaction_lines (named `time_alias`) × country × product: the whole
    select of agg_shop_sales_minutely and agg_shop_sales_daily, keyed by `key_name`. A minute also gets its day.
-#}
{% macro shop_sales_rollup(time_column, time_alias, key_name) -%}
with

lines as (

    select * from {{ ref('fct_shop_transaction_lines') }}

),

rolled_up as (

    select
        {{ time_column }} as {{ time_alias }},
        country,
        product_no,
        max(product_name) as product_name,
        {{ shop_sales_measures() }}
    from lines
    group by {{ time_column }}, country, product_no

)

select
    {{ surrogate_key([time_alias, 'country', 'product_no']) }} as {{ key_name }},
    {{ time_alias }},
    {%- if time_alias != 'sales_date' %}
    cast({{ time_alias }} as date) as sales_date,
    {%- endif %}
    country,
    product_no,
    product_name,
    sale_transactions,
    cancellation_transactions,
    sold_units,
    cancelled_units,
    net_units,
    gross_sales,
    cancelled_sales,
    net_sales
from rolled_up
{%- endmacro %}
