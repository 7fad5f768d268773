{% snapshot snp_classicmodels__products %}

    {{ config(
        unique_key='product_code',
        strategy='check',
        check_cols='all',
        hard_deletes='invalidate'
    ) }}

    -- Taken after the business clock, so this run's versions map to this run's business day.
    -- depends_on: {{ ref('snp_classicmodels__business_days') }}
    -- Raw that lost products without a logged delete must not close their versions: stop first.
    {{ fail_if_raw_lost_rows('products') }}
    select
        product_code,
        product_line,
        product_name,
        product_scale,
        product_vendor,
        product_description,
        quantity_in_stock,
        buy_price,
        msrp
    from {{ ref('stg_classicmodels__products') }}

{% endsnapshot %}
