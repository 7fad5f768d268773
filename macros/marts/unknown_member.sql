{#- The key of a dimension's explicit "unknown" member (var unknown_member_id), shared by every dimension. -#}
{% macro unknown_member_key() -%}
    {{ surrogate_key(["'" ~ var('unknown_member_id') ~ "'"]) }}
{%- endmacro %}

{#-
    A dimension's rows followed by its explicit "unknown" member, both selected in the order of the model's
    contract columns (its yml), so neither side is typed by position. The unknown member has key_column =
    unknown_member_key(), natural_key = var unknown_member_id, 'Unknown' in each column of labelled_columns,
    the values given in `values` (column -> SQL expression), the widest validity when the contract has
    valid_from / valid_to / is_current, and null elsewhere.
-#}
{% macro union_unknown_member(known_relation, key_column, natural_key, labelled_columns=[], values={}) -%}
    {%- set columns = model.columns.values() | list %}
    select
        {%- for column in columns %}
            {{ column.name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ known_relation }}
    union all
    select
        {%- for column in columns %}
            {{ _unknown_member_value(column, key_column, natural_key, labelled_columns, values) }}
            as {{ column.name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
{%- endmacro %}

{% macro _unknown_member_value(column, key_column, natural_key, labelled_columns, values) -%}
    {%- set data_type = engine_data_type(column.data_type) %}
    {%- if column.name == key_column -%}
        {{ unknown_member_key() }}
    {%- elif column.name in values -%}
        cast({{ values[column.name] }} as {{ data_type }})
    {%- elif column.name == natural_key -%}
        cast('{{ var("unknown_member_id") }}' as {{ data_type }})
    {%- elif column.name in labelled_columns -%}
        cast('Unknown' as {{ data_type }})
    {%- elif column.name == 'valid_from' -%}
        cast('{{ var("scd_beginning_of_time") }}' as {{ data_type }})
    {%- elif column.name == 'valid_to' -%}
        cast('{{ var("scd_end_of_time") }}' as {{ data_type }})
    {%- elif column.name == 'is_current' -%}
        true
    {%- else -%}
        cast(null as {{ data_type }})
    {%- endif %}
{%- endmacro %}
