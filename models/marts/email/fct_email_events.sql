{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key='event_key',
    on_schema_change='fail'
) }}

{#-
    One row per distinct email event (event_id, event_type, event_at), typed, with its email's send attached.
    Incremental (merge on event_key): each run rebuilds every event of the emails with an event loaded within
    var email_lookback_hours of the newest load here, so opens that came before their send get the send's
    attributes once it arrives. `dbt build --full-refresh` gives the same rows.
-#}
with

events as (

    select * from {{ ref('int_email_events_joined_to_sends') }}
    {{ email_lookback_filter(ref('int_email_events_joined_to_sends'), 'loaded_at', 'loaded_at') }}

)

-- The columns, their order and types are the contract's (_email__models.yml).
select * from events
