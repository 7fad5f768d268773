{#-
    The versions of a dbt snapshot (check strategy, hard_deletes = invalidate) on the business calendar,
    one row per version with every snapshot column but dbt's own plus:
    - version_key: surrogate key of natural key + version (the snapshot's dbt_valid_from);
    - observed_from: the business day after the one loaded when dbt saw this version (the state captured at
      the close of business day D is in force from D + 1), read from snp_classicmodels__business_days;
    - valid_from: observed_from, but the beginning of time (var scd_beginning_of_time) for the first version
      of each key, because the first snapshot only sees the state on the day dbt first ran;
    - valid_to: likewise from dbt_valid_to, or the end of time (var scd_end_of_time) while current;
    - is_current: the version open now (a key deleted at the source has none).
    A version replaced within the business day it appeared (two builds of one business day, each seeing a
    change) is in force for no business day (valid_from = valid_to) and is left out: a day has one version.
    A point-in-time join is then valid_from <= ts < valid_to (macro left_join_version_at).
-#}
{% macro scd2_versions(snapshot_name, natural_key) -%}
    {%- set dbt_columns = ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'] %}
    {%- set snapshot_columns = adapter.get_columns_in_relation(ref(snapshot_name))
        | rejectattr('name', 'in', dbt_columns) | map(attribute='name') | list if execute else [] %}
    select * from (
        select
            {%- for column in snapshot_columns %}
                versions.{{ column }},
            {%- endfor %}
            {{ surrogate_key([natural_key, 'versions.dbt_valid_from']) }} as version_key,
            {{ _business_day_after('opened') }} as observed_from,
            case
                when versions.dbt_valid_from = min(versions.dbt_valid_from) over (partition by {{ natural_key }})
                    then cast('{{ var("scd_beginning_of_time") }}' as {{ dbt.type_timestamp() }})
                else {{ _business_day_after('opened') }}
            end as valid_from,
            case
                when versions.dbt_valid_to is null
                    then cast('{{ var("scd_end_of_time") }}' as {{ dbt.type_timestamp() }})
                else {{ _business_day_after('closed') }}
            end as valid_to,
            versions.dbt_valid_to is null as is_current
        from {{ ref(snapshot_name) }} as versions
        left join {{ ref('snp_classicmodels__business_days') }} as opened
            on {{ _wall_clock_within('opened', 'versions.dbt_valid_from') }}
        left join {{ ref('snp_classicmodels__business_days') }} as closed
            on {{ _wall_clock_within('closed', 'versions.dbt_valid_to') }}
    ) as placed
    where valid_from < valid_to
{%- endmacro %}

{#- The business-clock version in force at a wall-clock time. -#}
{% macro _wall_clock_within(clock_alias, wall_clock_time) -%}
    {{ clock_alias }}.dbt_valid_from <= {{ wall_clock_time }}
        and (
            {{ clock_alias }}.dbt_valid_to is null or {{ wall_clock_time }} < {{ clock_alias }}.dbt_valid_to
        )
{%- endmacro %}

{#- The day after a business-clock version's business day, as a timestamp. -#}
{% macro _business_day_after(clock_alias) -%}
    cast({{ add_days(1, clock_alias ~ '.business_day') }} as {{ dbt.type_timestamp() }})
{%- endmacro %}
