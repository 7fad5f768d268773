{#-
    Unit-test fixtures give a list as DuckDB's literal "['a', 'b']" (one spelling in the yml for both engines);
    Spark builds it with array('a', 'b'). dbt hands the value over quoted, its quotes escaped for Spark's strings.
    Other values: dbt-spark's own rule (complex types cast from their unquoted text, the rest as they come).
-#}
{% macro spark__safe_cast(field, type) %}
    {%- set complex_type = cast_from_string_unsupported_for(type) %}
    {%- set unquoted = field.strip().strip('"').strip("'") if field is string else field %}
    {%- if complex_type and field is string and type.lower().startswith('array') and unquoted.startswith('[') -%}
        cast(array({{ unquoted[1:-1] | replace("\\'", "'") }}) as {{ type }})
    {%- elif complex_type and field is string -%}
        cast({{ unquoted }} as {{ type }})
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{% endmacro %}
