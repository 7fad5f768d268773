with

source as (

    select * from {{ source('email', 'email_events_rejected') }}

),

renamed as (

    select
        -- ids
        cast(shard_id as {{ dbt.type_string() }}) as shard_id,
        cast(sequence_number as {{ dbt.type_string() }}) as sequence_number,
        cast(partition_key as {{ dbt.type_string() }}) as partition_key,

        -- attributes
        {{ rejected_record_columns() }},

        -- timestamps
        cast(approximate_arrival_at as {{ type_timestamp_tz() }}) as arrived_at,
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
