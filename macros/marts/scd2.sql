{#-
    The versions of a dbt snapshot (check strategy, hard_deletes = invalidate) on the business calendar,
    one row per version with every snapshot column plus:
    - version_key: surrogate key of natural key + version (the snapshot's dbt_valid_from);
    - valid_from: the business day after the one loaded when dbt saw this version (the state captured at the
      close of business day D is in force from D + 1), read from snp_classicmodels__business_days;
      the first version of each key starts at the beginning of time instead (var scd_beginning_of_time),
      because the first snapshot only sees the state on the day dbt first ran;
    - valid_to: likewise from dbt_valid_to, or the end of time (var scd_end_of_time) while current;
    - is_current: the version open now (a key deleted at the source has none).
    A point-in-time join is then valid_from <= ts < valid_to (macro is_valid_at).
-#}
{% macro scd2_versions(snapshot_name, natural_key) -%}
    select
        versions.* exclude (dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to),
        {{ surrogate_key([natural_key, 'versions.dbt_valid_from']) }} as version_key,
        case
            when versions.dbt_valid_from = min(versions.dbt_valid_from) over (partition by {{ natural_key }})
                then cast('{{ var("scd_beginning_of_time") }}' as timestamp)
            else cast(opened.business_day + 1 as timestamp)
        end as valid_from,
        case
            when versions.dbt_valid_to is null then cast('{{ var("scd_end_of_time") }}' as timestamp)
            else cast(closed.business_day + 1 as timestamp)
        end as valid_to,
        versions.dbt_valid_to is null as is_current
    from {{ ref(snapshot_name) }} as versions
    left join {{ ref('snp_classicmodels__business_days') }} as opened
        on {{ _wall_clock_within('opened', 'versions.dbt_valid_from') }}
    left join {{ ref('snp_classicmodels__business_days') }} as closed
        on {{ _wall_clock_within('closed', 'versions.dbt_valid_to') }}
{%- endmacro %}

{#- The business-clock version in force at a wall-clock time. -#}
{% macro _wall_clock_within(clock_alias, wall_clock_time) -%}
    {{ clock_alias }}.dbt_valid_from <= {{ wall_clock_time }}
        and {{ wall_clock_time }} < coalesce({{ clock_alias }}.dbt_valid_to, 'infinity'::timestamp)
{%- endmacro %}

{#- True when the timestamp expression falls inside a dimension version [valid_from, valid_to). -#}
{% macro is_valid_at(dimension_alias, timestamp_expression) -%}
    {{ dimension_alias }}.valid_from <= cast({{ timestamp_expression }} as timestamp)
        and cast({{ timestamp_expression }} as timestamp) < {{ dimension_alias }}.valid_to
{%- endmacro %}
