{#-
    Fails for every combination of the given columns that occurs more than once (a composite key test).

    changed_rows_column (optional) limits the test to the rows changed lately:
    - a build-time column (built_at, the dbt invocation that wrote the row): the rows written by the latest
      build. On a full build that is every row, the whole-table test; on an incremental build, the rows it
      rebuilt. That is enough for a delete+insert model on this key: the delete removes every old row sharing a
      key with a rebuilt one, so a duplicate can only be among the rebuilt rows, and older rows were tested by
      the build that wrote them.
    - with changed_within_lookback: true, a load-time column (loaded_at): the rows loaded within
      var lookback_days of the newest load (on a freshly loaded warehouse, every row).
-#}
{% test unique_combination_of_columns(
    model, combination_of_columns, changed_rows_column=none, changed_within_lookback=false
) %}

    select
        {{ combination_of_columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    {%- if changed_rows_column %}
        where {{ changed_rows_column }} >= (
            select
                max({{ changed_rows_column }})
                {%- if changed_within_lookback %} - to_days(cast({{ var('lookback_days') }} as integer)){% endif %}
            from {{ model }}
        )
    {%- endif %}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1

{% endtest %}
