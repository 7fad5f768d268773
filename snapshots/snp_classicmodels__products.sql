{% snapshot snp_classicmodels__products %}

    {{ config(
        unique_key='product_code',
        strategy='check',
        check_cols=[
            'product_name', 'product_line', 'product_scale', 'product_vendor', 'product_description',
            'quantity_in_stock', 'buy_price', 'msrp'
        ],
        hard_deletes='invalidate'
    ) }}

    -- Taken after the business clock, so this run's versions map to this run's business day.
    -- depends_on: {{ ref('snp_classicmodels__business_days') }}
    select * exclude (loaded_at) from {{ ref('stg_classicmodels__products') }}

{% endsnapshot %}
