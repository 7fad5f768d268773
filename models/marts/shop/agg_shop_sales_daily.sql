{#- Sales per day (UTC) × country × product: sold, cancelled and net units and amounts. -#}
{{ shop_sales_rollup('transaction_date', 'sales_date', 'sales_day_key') }}
