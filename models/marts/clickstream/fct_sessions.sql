{#-
    Sessions of each customer × device: a view more than var clickstream_session_gap_minutes after the previous
    view of the same customer and device starts a new session. A table rebuilt on every run: a late view can join
    two sessions or split one, anywhere in a customer's history.
-#}
with

page_views as (

    select * from {{ ref('fct_page_views') }}

),

gaps as (

    select
        *,
        lag(viewed_at) over (
            partition by customer_id, device order by viewed_at, page_view_id
        ) as previous_viewed_at
    from page_views

),

flagged as (

    select
        *,
        case
            when previous_viewed_at is null then 1
            -- in microseconds on both engines (Spark's dateadd would drop the fraction of a second)
            when
                {{ seconds_between('previous_viewed_at', 'viewed_at') }}
                > {{ var('clickstream_session_gap_minutes') }} * 60
                then 1
            else 0
        end as starts_session
    from gaps

),

numbered as (

    select
        *,
        sum(starts_session) over (
            partition by customer_id, device order by viewed_at, page_view_id
            rows between unbounded preceding and current row
        ) as session_number
    from flagged

),

ordered as (

    select
        *,
        row_number() over (
            partition by customer_id, device, session_number order by viewed_at, page_view_id
        ) as view_order,
        row_number() over (
            partition by customer_id, device, session_number order by viewed_at desc, page_view_id desc
        ) as reverse_view_order
    from numbered

),

sessions as (

    select
        customer_id,
        device,
        session_number,
        min(viewed_at) as started_at,
        max(viewed_at) as ended_at,
        max(case when view_order = 1 then url end) as begin_url,
        max(case when reverse_view_order = 1 then url end) as end_url,
        max(case when view_order = 1 then traffic_source end) as traffic_source,
        max(case when view_order = 1 then os end) as os,
        count(*) as page_views
    from ordered
    group by customer_id, device, session_number

)

select
    -- ids
    md5(
        cast(customer_id as {{ dbt.type_string() }}) || '/' || device || '/'
        || cast(session_number as {{ dbt.type_string() }})
    ) as session_id,
    customer_id,
    device,
    cast(session_number as integer) as session_number,

    -- attributes
    os,
    traffic_source,
    begin_url,
    end_url,

    -- counts
    cast(page_views as integer) as page_views,
    cast(
        {{ dbt.datediff('started_at', 'ended_at', 'second') }}
        as integer
    ) as duration_seconds,

    -- timestamps (UTC)
    started_at,
    ended_at

from sessions
