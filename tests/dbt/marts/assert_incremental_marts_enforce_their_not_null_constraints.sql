{#-
    The marts' not-null rules are contract constraints, which DuckDB enforces on every insert, instead of
    not_null data tests (a full scan each, every build). A table gets its constraints when dbt creates it: a
    table-materialized mart is created on every build, but an incremental mart keeps the table it was first
    built with. One row per not_null constraint an incremental mart declares but its table lacks (built before
    the constraint was declared): `dbt build --full-refresh --select <model>` recreates it with its constraints.
    A mart not built in this warehouse (a build of a selection) has no table to check.
    DuckDB only: it reads DuckDB's catalog, and dbt-spark persists no constraints on Iceberg tables (there the
    contract checks names and types; the Spark tests compare every mart with the DuckDB one).
-#}
{{ config(enabled=target.type == 'duckdb') }}
{%- set incremental_marts = [
    ref('fct_order_lines'),
    ref('fct_email_events'),
    ref('fct_email_sends'),
    ref('fct_order_attribution'),
] %}
{%- set declared = [] %}
{%- if execute %}
    {%- for relation in incremental_marts %}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.alias == relation.identifier
            and node.schema == relation.schema %}
            {%- for column in node.columns.values() %}
                {%- if column.constraints | selectattr('type', 'equalto', 'not_null') | list %}
                    {%- do declared.append((relation.database, relation.schema, relation.identifier, column.name)) %}
                {%- endif %}
            {%- endfor %}
        {%- endfor %}
    {%- endfor %}
{%- endif %}

with

declared as (

    select *
    from (
        values
        {%- for database_name, schema_name, table_name, column_name in declared %}
            (
                '{{ database_name }}', '{{ schema_name }}', '{{ table_name }}', '{{ column_name }}'
            ){% if not loop.last %},{% endif %}
        {%- else %}
            (null, null, null, null)
        {%- endfor %}
    ) as constraints_declared (database_name, schema_name, table_name, column_name)
    where table_name is not null

)

select declared.*
from declared
inner join duckdb_tables() as built
    on
        declared.database_name = built.database_name
        and declared.schema_name = built.schema_name
        and declared.table_name = built.table_name
where not exists (
    select 1 from duckdb_constraints() as enforced
    where
        enforced.constraint_type = 'NOT NULL'
        and enforced.database_name = declared.database_name
        and enforced.schema_name = declared.schema_name
        and enforced.table_name = declared.table_name
        and list_contains(enforced.constraint_column_names, declared.column_name)
)
