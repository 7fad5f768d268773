{#-
    Fails for every combination of the given columns that occurs more than once (a composite key test).

    changed_rows_column (optional) limits the test to the rows changed lately:
    - a build-time column (built_at, the dbt invocation that wrote the row): the rows written by the latest
      build. On a full build that is every row, the whole-table test; on an incremental build, the rows it
      rebuilt. That is enough for a delete+insert model on this key: the delete removes every old row sharing a
      key with a rebuilt one, so a duplicate can only be among the rebuilt rows, and older rows were tested by
      the build that wrote them.
    - with loaded_after_model (the name of an incremental model downstream, with a loaded_at column), a
      load-time column (loaded_at): the keys of the rows loaded after the newest load already built into that
      model, each counted over the whole table (so a new row repeating an old row's key fails too). Those are the
      rows that model takes in as "loaded since" on its next run; every older row was in the scope of an earlier
      build whose test passed, since dbt build only builds the model after this test passes (induction from the
      first build, when the model does not exist yet and every row is tested). The model is looked up by name,
      not ref'd: a ref would make the test wait for the model, after which its newest load has moved on.
-#}
{% test unique_combination_of_columns(
    model, combination_of_columns, changed_rows_column=none, loaded_after_model=none
) %}

    {%- set keys = combination_of_columns | join(', ') %}
    {%- if changed_rows_column and loaded_after_model %}
        {%- set built_into = none %}
        {%- if execute %}
            {%- set nodes = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
                | selectattr('name', 'equalto', loaded_after_model) | list %}
            {%- if nodes %}
                {%- set built_into = adapter.get_relation(nodes[0].database, nodes[0].schema, nodes[0].alias) %}
            {%- endif %}
        {%- endif %}

        select
            {{ keys }},
            count(*) as occurrences
        from {{ model }} as all_rows
        {%- if built_into %}
            where exists (
                select 1 from {{ model }} as new_rows
                where
                    new_rows.{{ changed_rows_column }} > (
                        select
                            coalesce(
                                max({{ changed_rows_column }}), cast('-infinity' as timestamp with time zone)
                            )
                        from {{ built_into }}
                    )
                    {%- for column in combination_of_columns %}
                        and new_rows.{{ column }} = all_rows.{{ column }}
                    {%- endfor %}
            )
        {%- endif %}
        group by {{ keys }}
        having count(*) > 1
    {%- else %}

        select
            {{ keys }},
            count(*) as occurrences
        from {{ model }}
        {%- if changed_rows_column %}
            where {{ changed_rows_column }} >= (select max({{ changed_rows_column }}) from {{ model }})
        {%- endif %}
        group by {{ keys }}
        having count(*) > 1
    {%- endif %}

{% endtest %}
