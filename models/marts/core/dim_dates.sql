{#- One row per day from the calendar vars' bounds, widened to every order and payment date. -#}
with

bounds as (

    select
        least(cast('{{ var("calendar_start_date") }}' as date), min(first_date)) as first_date,
        greatest(cast('{{ var("calendar_end_date") }}' as date), max(last_date)) as last_date
    from (
        select
            min(order_date) as first_date,
            max(greatest(order_date, required_date, shipped_date)) as last_date
        from {{ ref('stg_classicmodels__orders') }}
        union all
        select
            min(payment_date) as first_date,
            max(payment_date) as last_date
        from {{ ref('stg_classicmodels__payments') }}
    ) as activity

),

spine as (

    {{ date_spine(
        "date_trunc('year', (select first_date from bounds))",
        "date_trunc('year', (select last_date from bounds)) + interval 1 year - interval 1 day"
    ) }}

),

calendar as (

    select
        date_day,
        cast(year(date_day) as integer) as year_number,
        cast(quarter(date_day) as integer) as quarter_number,
        cast(month(date_day) as integer) as month_number,
        cast(dayofmonth(date_day) as integer) as day_of_month,
        cast({{ iso_day_of_week('date_day') }} as integer) as iso_day_of_week,
        cast(weekofyear(date_day) as integer) as iso_week_number,
        cast(date_trunc('month', date_day) as date) as month_start_date,
        cast(last_day(date_day) as date) as month_end_date,
        {{ month_name('date_day') }} as month_name,
        {{ day_name('date_day') }} as day_name,
        {{ iso_day_of_week('date_day') }} in (6, 7) as is_weekend,
        date_day = last_day(date_day) as is_month_end
    from spine

)

select
    -- ids
    date_day,

    -- calendar
    year_number,
    quarter_number,
    month_number,
    month_name,
    day_of_month,
    iso_day_of_week,
    day_name,
    iso_week_number,
    month_start_date,
    month_end_date,

    -- flags
    is_weekend,
    is_month_end

from calendar
