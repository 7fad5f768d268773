{#-
    With Iceberg's SparkSessionCatalog a view is an Iceberg view, and `create or replace view` on an existing one
    silently keeps the old definition: a changed model would go on reading its old SQL. Drop, then create.
    Otherwise dbt-spark's own spark__create_view_as.
-#}
{% macro spark__create_view_as(relation, sql) -%}
    {%- do run_query('drop view if exists ' ~ relation) %}
    create view {{ relation }}
    {% if config.persist_column_docs() -%}
        {% set model_columns = model.columns %}
        {% set query_columns = get_columns_in_query(sql) %}
        (
        {{ get_persist_docs_column_list(model_columns, query_columns) }}
        )
    {% endif %}
    {{ comment_clause() }}
    {%- set contract_config = config.get('contract') -%}
    {%- if contract_config.enforced -%}
        {{ get_assert_columns_equivalent(sql) }}
    {%- endif %}
    as
        {{ sql }}
{%- endmacro %}
