{#-
    The grouping levels of agg_sales_daily (column grouping_level) and the product attributes each groups by; the
    rest read '(all)'. One place for both the amounts and the distinct order counts.
-#}
{% macro sales_grouping_levels() -%}
    {{ return({
        'category_sub_category_brand': ['category', 'sub_category', 'brand'],
        'category': ['category'],
        'sub_category': ['sub_category'],
        'brand': ['brand'],
        'day': [],
    }) }}
{%- endmacro %}
