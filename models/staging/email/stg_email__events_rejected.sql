with

source as (

    select * from {{ source('email', 'email_events_rejected') }}

),

renamed as (

    select
        -- ids
        cast(shard_id as varchar) as shard_id,
        cast(sequence_number as varchar) as sequence_number,
        cast(partition_key as varchar) as partition_key,

        -- attributes
        cast(reason as varchar) as reason,
        cast(reason_detail as varchar) as reason_detail,
        cast(payload as varchar) as payload,
        cast(payload_is_base64 as boolean) as is_payload_base64,

        -- timestamps
        cast(approximate_arrival_at as timestamptz) as arrived_at,
        {{ dlt_loaded_at('_dlt_load_id') }} as loaded_at

    from source

)

select * from renamed
