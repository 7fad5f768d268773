{{ config(severity='warn') }}

-- Warns for each arrival day on which the share of rejected stream records exceeds
-- var('email_rejects_warn_threshold'): a producer change or a broken client is sending bad records.
with

accepted as (

    select
        cast(arrived_at as date) as arrival_day,
        count(*) as records
    from {{ ref('stg_email__events') }}
    group by 1

),

rejected as (

    select
        cast(arrived_at as date) as arrival_day,
        count(*) as records
    from {{ ref('stg_email__events_rejected') }}
    group by 1

),

daily as (

    select
        rejected.arrival_day,
        rejected.records as rejected_records,
        rejected.records + coalesce(accepted.records, 0) as all_records
    from rejected
    left join accepted on rejected.arrival_day = accepted.arrival_day

)

select
    arrival_day,
    rejected_records,
    all_records,
    rejected_records / all_records as rejected_share
from daily
where rejected_records / all_records > {{ var('email_rejects_warn_threshold') }}
