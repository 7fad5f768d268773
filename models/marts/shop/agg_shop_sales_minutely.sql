{#- Sales per minute (UTC) × country × product: sold, cancelled and net units and amounts. -#}
{{ shop_sales_rollup('transaction_minute', 'sales_minute', 'sales_minute_key') }}
