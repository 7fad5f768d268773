{% snapshot snp_classicmodels__employees %}

    {{ config(
        unique_key='employee_number',
        strategy='check',
        check_cols=[
            'office_code', 'reports_to_employee_number', 'first_name', 'last_name', 'extension', 'email',
            'job_title'
        ],
        hard_deletes='invalidate'
    ) }}

    -- Taken after the business clock, so this run's versions map to this run's business day.
    -- depends_on: {{ ref('snp_classicmodels__business_days') }}
    select * exclude (loaded_at) from {{ ref('stg_classicmodels__employees') }}

{% endsnapshot %}
