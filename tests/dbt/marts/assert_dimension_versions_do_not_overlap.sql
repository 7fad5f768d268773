-- SCD2 dimensions: the versions of one key never overlap, so a point-in-time join finds at most one.
{% set dimensions = [
    ('dim_products', 'product_code'),
    ('dim_customers', 'customer_number'),
    ('dim_employees', 'employee_number'),
] %}

{% for dimension, natural_key in dimensions %}
    select
        '{{ dimension }}' as dimension,
        cast(earlier.{{ natural_key }} as {{ dbt.type_string() }}) as natural_key,
        earlier.valid_from,
        later.valid_from as overlapping_valid_from
    from {{ ref(dimension) }} as earlier
    inner join {{ ref(dimension) }} as later
        on
            earlier.{{ natural_key }} = later.{{ natural_key }}
            and earlier.valid_from < later.valid_from
            and earlier.valid_to > later.valid_from
    {% if not loop.last %}union all{% endif %}
{% endfor %}
