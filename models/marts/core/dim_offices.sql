{#- Offices change too rarely to version: type 1 (current state), plus the unknown member. -#}
with

offices as (

    select * from {{ ref('stg_classicmodels__offices') }}

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

{{ union_unknown_member(
    'known', 'office_key', 'office_code',
    labelled_columns=['city', 'country', 'territory']
) }}
