with

versions as (

    select * from {{ ref('int_product_versions_mapped_to_hierarchy') }}

),

products as (

    select
        -- ids
        version_key as product_key,
        product_code,

        -- attributes
        product_name,
        product_line,
        product_line_description,
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

{{ union_unknown_member(
    'products', 'product_key', 'product_code',
    labelled_columns=['product_name', 'product_line', 'product_line_description', 'product_scale', 'product_vendor', 'category', 'sub_category', 'brand']
) }}
