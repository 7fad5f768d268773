{#-
    Email marts keep every time as a UTC `timestamp` (no time zone): the stream's instants (timestamptz in
    staging) are converted here, so the result never depends on the session's TimeZone setting.
-#}
{% macro utc_timestamp(timestamptz_expression) -%}
    {{ return(adapter.dispatch('utc_timestamp', 'commerce_dw')(timestamptz_expression)) }}
{%- endmacro %}

{% macro default__utc_timestamp(timestamptz_expression) -%}
    timezone('UTC', {{ timestamptz_expression }})
{%- endmacro %}

{#- Spark's timestamps are instants already, shown in the session's time zone (UTC: spark_build.session). -#}
{% macro spark__utc_timestamp(timestamptz_expression) -%}
    cast({{ timestamptz_expression }} as timestamp)
{%- endmacro %}

{#-
    Incremental email facts: on incremental runs, keep only the emails (event_id) with an event loaded within
    var email_lookback_hours of the newest load already in this model. Those emails are rebuilt whole from
    every one of their events, so an open loaded before its send joins up when the send arrives, however late.
    relation: the model to read load times from, aliased `lookback`; loaded_at_expression: its load time as a
    UTC timestamp, over that alias; this_loaded_at_column: the load-time column of this model.
-#}
{% macro email_lookback_filter(relation, loaded_at_expression, this_loaded_at_column) -%}
    {%- if is_incremental() %}
        where event_id in (
            select lookback.event_id
            from {{ relation }} as lookback
            where {{ loaded_at_expression }} >= (
                select
                    coalesce(
                        max({{ this_loaded_at_column }}), cast('{{ var("scd_beginning_of_time") }}' as timestamp)
                    ) - interval {{ var('email_lookback_hours') | int }} hour
                from {{ this }}
            )
        )
    {%- endif %}
{%- endmacro %}

{#-
    The one rule for "minutes between" in the email marts (minutes_since_sent, minutes_to_open, minutes_to_click):
    minutes (fractional) from one UTC timestamp to a later one; null when either is null. A reaction stamped
    before its send (producer clock skew: nothing is opened before it is sent) counts as 0 minutes, never as a
    negative delay that would pull averages down.
-#}
{% macro email_minutes_between(from_timestamp, to_timestamp) -%}
    case
        when {{ to_timestamp }} < {{ from_timestamp }} then cast(0 as double)
        else {{ seconds_between(from_timestamp, to_timestamp) }} / 60
    end
{%- endmacro %}

{#-
    Key of a grain whose columns hold producers' free text (partner, subject, layout, algorithm): md5 of each
    value prefixed with its length, so no two distinct rows share a key whatever the text holds (a separator or
    a null marker inside a value cannot shift it into the next column), and null differs from every text.
-#}
{% macro email_grain_key(columns) -%}
    {%- set text = dbt.type_string() %}
    md5(concat(
        {%- for column in columns %}
        coalesce(cast(length(cast({{ column }} as {{ text }})) as {{ text }}) || ':' || cast({{ column }} as {{ text }}), '~')
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    ))
{%- endmacro %}

{#- The funnel counts of a group of fct_email_sends rows (one row per email). -#}
{% macro email_funnel_counts() -%}
    count(*) as emails_sent,
        count(*) filter (where is_delivered) as emails_delivered,
        count(*) filter (where is_opened) as unique_opened,
        count(*) filter (where is_clicked) as unique_clicked,
        count(*) filter (where is_open_inferred_from_click) as opened_by_click_only,
        count(*) filter (where is_bounced) as bounces,
        count(*) filter (where is_complaint) as complaints,
        sum(open_count) as total_opens,
        sum(click_count) as total_clicks
{%- endmacro %}

{#-
    The columns of a funnel aggregate over email_funnel_counts(): a surrogate key of the grain named key_column,
    the grain columns, the typed counts and the three rates (null when their denominator is 0).
-#}
{% macro email_funnel_columns(key_column, grain_columns) -%}
    -- ids
    {{ email_grain_key(grain_columns) }} as {{ key_column }},
    {%- for column in grain_columns %}
    {{ column }},
    {%- endfor %}

    -- counts and rates
    cast(emails_sent as integer) as emails_sent,
    cast(emails_delivered as integer) as emails_delivered,
    cast(unique_opened as integer) as unique_opened,
    cast(unique_clicked as integer) as unique_clicked,
    cast(opened_by_click_only as integer) as opened_by_click_only,
    cast(bounces as integer) as bounces,
    cast(complaints as integer) as complaints,
    cast(total_opens as integer) as total_opens,
    cast(total_clicks as integer) as total_clicks,
    cast(unique_opened as double) / nullif(emails_delivered, 0) as open_rate,
    cast(unique_clicked as double) / nullif(emails_delivered, 0) as click_through_rate,
    cast(unique_clicked as double) / nullif(unique_opened, 0) as click_to_open_rate
{%- endmacro %}
