with

versions as (

    select * from {{ ref('int_product_versions_mapped_to_hierarchy') }}

),

unknown_member as (

    select
        {{ unknown_member_key() }} as product_key,
        '{{ var("unknown_member_id") }}' as product_code,
        'Unknown' as product_name,
        'Unknown' as product_line,
        'Unknown' as product_scale,
        'Unknown' as product_vendor,
        'Unknown' as category,
        'Unknown' as sub_category,
        'Unknown' as brand,
        cast(null as integer) as quantity_in_stock,
        cast(null as decimal(10, 2)) as buy_price,
        cast(null as decimal(10, 2)) as msrp,
        cast('{{ var("scd_beginning_of_time") }}' as timestamp) as valid_from,
        cast('{{ var("scd_end_of_time") }}' as timestamp) as valid_to,
        true as is_current

),

products as (

    select
        -- ids
        version_key as product_key,
        product_code,

        -- attributes
        product_name,
        product_line,
        product_scale,
        product_vendor,
        category,
        sub_category,
        brand,

        -- numbers
        quantity_in_stock,
        buy_price,
        msrp,

        -- validity
        valid_from,
        valid_to,
        is_current

    from versions

)

select * from products
union all
select * from unknown_member
