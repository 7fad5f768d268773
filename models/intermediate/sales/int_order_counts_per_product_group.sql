{#-
    Distinct orders per day (order date) and product group at every grouping level of agg_sales_daily, from bit
    sets: each level's members (its categories, its brands, ...) are numbered, each order gets per level the
    members its lines touch as the bits of a bigint (var order_count_members_per_word per word, more words for more
    members), and counts once under every member whose bit is set. That is one small grouping per order and level
    instead of grouping every (order, member) pair: ~10M pairs per level at 10M lines, three quarters of
    agg_sales_daily's time when it counted that way.
-#}
{%- set levels = sales_grouping_levels() %}
{%- set per_word = var('order_count_members_per_word') | int %}
with

-- each product version's member number in every level, from 0 (the day has one member, 0)
product_members as (

    select
        {%- for level, columns in levels.items() if columns %}
            dense_rank() over (order by {{ columns | join(', ') }}) - 1 as {{ level }}_member,
        {%- endfor %}
        0 as day_member,
        product_key,
        category,
        sub_category,
        brand
    from {{ ref('dim_products') }}

),

-- one row per level and member: its word and its bit in that word
members as (
    {%- for level, columns in levels.items() %}

        select distinct
            '{{ level }}' as grouping_level,
            {%- for column in ['category', 'sub_category', 'brand'] %}
                {{ column if column in columns else "'(all)'" }} as {{ column }},
            {%- endfor %}
            cast(floor({{ level }}_member / {{ per_word }}) as integer) as member_word,
            cast(power(2, {{ level }}_member % {{ per_word }}) as bigint) as member_bit
        from product_members
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

-- one row per order, level and word: the members the order's lines touch, as bits
order_members as (
    {%- for level in levels %}

        select
            order_lines.order_number,
            order_lines.order_date,
            order_lines.is_closed,
            '{{ level }}' as grouping_level,
            cast(floor(product_members.{{ level }}_member / {{ per_word }}) as integer) as member_word,
            bit_or(cast(power(2, product_members.{{ level }}_member % {{ per_word }}) as bigint)) as member_bits
        -- read per level: DuckDB materializes a shared CTE of the 10M lines, which costs more than these scans
        from {{ ref('fct_order_lines') }} as order_lines
        inner join product_members on order_lines.product_key = product_members.product_key
        group by
            order_lines.order_number,
            order_lines.order_date,
            order_lines.is_closed,
            cast(floor(product_members.{{ level }}_member / {{ per_word }}) as integer)
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

counted as (

    select
        order_members.order_date,
        members.grouping_level,
        members.category,
        members.sub_category,
        members.brand,
        count(*) as orders_placed,
        sum(case when order_members.is_closed then 1 else 0 end) as orders_closed
    from order_members
    inner join members
        on
            order_members.grouping_level = members.grouping_level
            and order_members.member_word = members.member_word
            and order_members.member_bits & members.member_bit != 0
    group by
        order_members.order_date, members.grouping_level, members.category, members.sub_category, members.brand

)

select * from counted
