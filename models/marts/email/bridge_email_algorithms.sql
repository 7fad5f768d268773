{#-
    Email × recommendation algorithm: one row per algorithm that filled an email (a name listed twice counts
    once). algorithm_weight splits the email equally among its algorithms, so weighted sums add up to the
    email totals; plain counts per algorithm count each email once per algorithm and must not be summed across
    algorithms. Emails without a send yet, or with an empty list, have no rows.
-#}
with

sends as (

    select
        event_id,
        {{ array_distinct_values('algorithms') }} as algorithms
    from {{ ref('fct_email_sends') }}
    where is_send_received

),

unnested as (

    select
        event_id,
        {{ unnest_array('algorithms') }} as algorithm,
        {{ array_size('algorithms') }} as algorithm_count
    from sends

)

select
    -- ids
    {{ email_grain_key(['event_id', 'algorithm']) }} as email_algorithm_key,
    event_id,
    algorithm,

    -- numbers
    cast(algorithm_count as integer) as algorithm_count,
    cast(1 as double) / algorithm_count as algorithm_weight

from unnested
