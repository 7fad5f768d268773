{#-
    dbt's contract check casts null to each declared data_type; on Spark a list type is spelt array<…>, so the
    declared type goes through engine_data_type first (the yml keeps one spelling for both engines).
-#}
{% macro spark__get_empty_schema_sql(columns) %}
    {%- set engine_columns = {} %}
    {%- for name, column in columns.items() %}
        {%- set engine_column = column.copy() %}
        {%- if column.get('data_type') is not none %}
            {%- do engine_column.update({'data_type': engine_data_type(column['data_type'])}) %}
        {%- endif %}
        {%- do engine_columns.update({name: engine_column}) %}
    {%- endfor %}
    {{ return(default__get_empty_schema_sql(engine_columns)) }}
{% endmacro %}
