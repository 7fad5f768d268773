{#-
    The Unix epoch as a timestamp: where the tumbling windows are aligned, and a time before every load (what an
    incremental model built from no rows yet has loaded up to).
-#}
{% macro clickstream_epoch() -%}
    cast('1970-01-01 00:00:00' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#-
    Start of the tumbling window of `window_seconds` that holds a UTC timestamp: windows are aligned on the Unix
    epoch, so [12:00:00, 12:00:15) and [12:00:15, 12:00:30) for 15 s. Whole seconds count (dbt.datediff), so
    12:00:14.999 is in the first window.
-#}
{% macro clickstream_window_start(timestamp_expression, window_seconds) -%}
    {%- set epoch = clickstream_epoch() -%}
    {%- set seconds = dbt.datediff(epoch, timestamp_expression, 'second') -%}
    {{ dbt.dateadd('second', '(' ~ seconds ~ ') - mod(' ~ seconds ~ ', ' ~ window_seconds ~ ')', epoch) }}
{%- endmacro %}

{#-
    Incremental window marts: on incremental runs, only the windows that hold a page view loaded after the newest
    load already counted in this model (its max last_loaded_at) are rebuilt, each from every view in it, so a late
    view (older than windows already built) updates its window on the next run. window_expression: the window of
    a page view (over fct_page_views), by the same rule the model groups by.
-#}
{% macro clickstream_touched_windows_filter(window_expression) -%}
    {%- if is_incremental() %}
        where {{ window_expression }} in (
            select {{ window_expression }}
            from {{ ref('fct_page_views') }}
            where loaded_at > (select coalesce(max(last_loaded_at), {{ clickstream_epoch() }}) from {{ this }})
        )
    {%- endif %}
{%- endmacro %}

{#- Unique visitors and page views per tumbling window of `window_seconds`, from fct_page_views. -#}
{% macro clickstream_visitor_windows(window_seconds) -%}
    {%- set window_start = clickstream_window_start('viewed_at', window_seconds) -%}
    with

    page_views as (

        select
            customer_id,
            loaded_at,
            {{ window_start }} as window_start
        from {{ ref('fct_page_views') }}
        {{ clickstream_touched_windows_filter(window_start) }}

    ),

    windowed as (

        select
            window_start,
            count(distinct customer_id) as unique_visitors,
            count(*) as page_views,
            max(loaded_at) as last_loaded_at
        from page_views
        group by window_start

    )

    select
        window_start,
        {{ dbt.dateadd('second', window_seconds, 'window_start') }} as window_end,
        cast(unique_visitors as integer) as unique_visitors,
        cast(page_views as integer) as page_views,
        last_loaded_at
    from windowed
{%- endmacro %}
