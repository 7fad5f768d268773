{% snapshot snp_classicmodels__employees %}

    {{ config(
        unique_key='employee_number',
        strategy='check',
        check_cols='all',
        hard_deletes='invalidate'
    ) }}

    -- Taken after the business clock, so this run's versions map to this run's business day.
    -- depends_on: {{ ref('snp_classicmodels__business_days') }}
    -- Raw that lost employees without a logged delete must not close their versions: stop first.
    {{ fail_if_raw_lost_rows('employees') }}
    select
        employee_number,
        office_code,
        reports_to_employee_number,
        first_name,
        last_name,
        extension,
        email,
        job_title
    from {{ ref('stg_classicmodels__employees') }}

{% endsnapshot %}
