{#-
    The business clock: the latest order date loaded, versioned each time dbt snapshots it. It maps the
    wall-clock times of the other snapshots to business days (the demo shop lives in 2003-2005).
-#}
{% snapshot snp_classicmodels__business_days %}

    {{ config(unique_key='clock_id', strategy='check', check_cols=['business_day']) }}

    select
        1 as clock_id,
        max(order_date) as business_day
    from {{ ref('stg_classicmodels__orders') }}

{% endsnapshot %}
