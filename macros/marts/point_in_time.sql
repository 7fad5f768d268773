{#- True when the timestamp expression falls inside a dimension version [valid_from, valid_to). -#}
{% macro is_valid_at(dimension_alias, timestamp_expression) -%}
    {{ dimension_alias }}.valid_from <= cast({{ timestamp_expression }} as {{ dbt.type_timestamp() }})
        and cast({{ timestamp_expression }} as {{ dbt.type_timestamp() }}) < {{ dimension_alias }}.valid_to
{%- endmacro %}

{#-
    The point-in-time join: a left join of the versions of a dimension (SCD2 rows with valid_from, valid_to)
    on its natural key and the version valid at the fact's timestamp (valid_from <= ts < valid_to). Versions
    never overlap (test assert_dimension_versions_do_not_overlap), so it finds at most one; none leaves the
    version's columns null (callers fall back to the unknown member).
-#}
{% macro left_join_version_at(versions, alias, natural_key, fact_natural_key, timestamp_expression) -%}
    left join {{ versions }} as {{ alias }}
        on
            {{ fact_natural_key }} = {{ alias }}.{{ natural_key }}
            and {{ is_valid_at(alias, timestamp_expression) }}
{%- endmacro %}

{#-
    The customer version valid at the timestamp, as alias `customers`: from dim_customers, or from the given
    versions relation with the same keys (the intermediate model dim_customers is built on).
-#}
{% macro left_join_customer_version_at(fact_customer_number, timestamp_expression, versions=none) -%}
    {{ left_join_version_at(
        versions if versions is not none else ref('dim_customers'),
        'customers', 'customer_number', fact_customer_number, timestamp_expression
    ) }}
{%- endmacro %}
