{#-
    dbt-spark lists a schema with SHOW TABLE EXTENDED, where Iceberg tables of the Hive catalog report
    `Provider: hive`: dbt then takes them for plain Hive tables (a snapshot's second run rebuilds it, merges are
    refused). Raising the error dbt-spark expects from Iceberg v2 tables sends it down its own SHOW TABLES +
    DESCRIBE path, which reads the provider right; a schema not created yet lists nothing.
-#}
{% macro spark__list_relations_without_caching(relation) %}
    {%- set schemas = run_query("show schemas like '" ~ relation.schema ~ "'") %}
    {%- if schemas | length == 0 %}
        {{ exceptions.raise_compiler_error("[SCHEMA_NOT_FOUND] " ~ relation.schema) }}
    {%- endif %}
    {{ exceptions.raise_compiler_error("SHOW TABLE EXTENDED is not supported for v2 tables") }}
{% endmacro %}
