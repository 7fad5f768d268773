with

versions as (

    {{ scd2_versions('snp_classicmodels__products', 'product_code') }}

),

mapping as (

    select * from {{ ref('product_hierarchy_mapping') }}

),

product_lines as (

    select * from {{ ref('stg_classicmodels__productlines') }}

),

-- one row per version and hierarchy level, holding the value of the mapped product column
levels as (

    select
        versions.version_key,
        mapping.hierarchy_level,
        case mapping.source_column
            when 'product_line' then versions.product_line
            when 'product_scale' then versions.product_scale
            when 'product_vendor' then versions.product_vendor
            when 'product_name' then versions.product_name
        end as level_value
    from versions
    cross join mapping

),

pivoted as (

    select
        version_key,
        max(case when hierarchy_level = 'category' then level_value end) as category,
        max(case when hierarchy_level = 'sub_category' then level_value end) as sub_category,
        max(case when hierarchy_level = 'brand' then level_value end) as brand
    from levels
    group by version_key

)

-- the product line's description is its current one (productlines keeps no history)
select
    versions.*,
    product_lines.text_description as product_line_description,
    pivoted.category,
    pivoted.sub_category,
    pivoted.brand
from versions
left join pivoted on versions.version_key = pivoted.version_key
left join product_lines on versions.product_line = product_lines.product_line
