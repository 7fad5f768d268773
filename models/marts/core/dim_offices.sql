{#- Offices change too rarely to version: type 1 (current state), plus the unknown member. -#}
with

offices as (

    select * from {{ ref('stg_classicmodels__offices') }}

),

unknown_member as (

    select
        {{ unknown_member_key() }} as office_key,
        '{{ var("unknown_member_id") }}' as office_code,
        'Unknown' as city,
        cast(null as varchar) as state,
        'Unknown' as country,
        cast(null as varchar) as postal_code,
        'Unknown' as territory,
        cast(null as varchar) as phone,
        cast(null as varchar) as address_line1,
        cast(null as varchar) as address_line2

),

known as (

    select
        -- ids
        {{ surrogate_key(['office_code']) }} as office_key,
        office_code,

        -- attributes
        city,
        state,
        country,
        postal_code,
        territory,
        phone,
        address_line1,
        address_line2

    from offices

)

select * from known
union all
select * from unknown_member
