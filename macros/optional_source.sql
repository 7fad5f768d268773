{#-
    A raw table of an optional source, or no rows with the columns staging reads while its loader has not created
    it: the clickstream (`[sources.kinesis.streams] clickstream`) and the shop's Kafka topic are optional, and
    without them the daily build still passes, with their marts empty. columns: name -> type of the raw columns
    staging reads.
-#}
{% macro optional_source(source_name, table, columns) -%}
    {%- set relation = source(source_name, table) -%}
    {%- if execute and adapter.get_relation(relation.database, relation.schema, relation.identifier) is none -%}
        select
        {%- for name, data_type in columns.items() %}
            cast(null as {{ data_type }}) as {{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
        where 1 = 0
    {%- else -%}
        select * from {{ relation }}
    {%- endif -%}
{%- endmacro %}
