{#-
    Deterministic surrogate key: md5 of the given column expressions, cast to text, null-safe and
    separated so ('a', 'bc') and ('ab', 'c') differ. SCD2 dimensions pass natural key + version start.
-#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws(
        '|'
        {%- for column in columns %},
        coalesce(cast({{ column }} as {{ dbt.type_string() }}), '<null>')
        {%- endfor %}
    ))
{%- endmacro %}

{#- A Jinja list of strings as an SQL tuple of literals: ('Shipped', 'Resolved'). -#}
{% macro sql_list(values) -%}
    ({% for value in values %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}
