{#-
    SQL that DuckDB and Spark spell differently, one macro per construct: models call these (or dbt's own
    cross-database macros), never an engine's dialect directly. duckdb__ / default__ is the DuckDB spelling,
    spark__ the Spark 3.5 one. `make lint` compiles every model for both engines and checks the SQL parses in
    each dialect (scripts/check_engine_sql.py).
-#}

{#- An instant: timestamptz on DuckDB; Spark's timestamp is one already (shown in the session's UTC). -#}
{% macro type_timestamp_tz() -%}
    {{ return(adapter.dispatch('type_timestamp_tz', 'commerce_dw')()) }}
{%- endmacro %}
{% macro default__type_timestamp_tz() -%}timestamptz{%- endmacro %}
{% macro spark__type_timestamp_tz() -%}timestamp{%- endmacro %}

{#- JSON text: DuckDB's json type; plain text on Spark (read with from_json / get_json_object). -#}
{% macro type_json() -%}
    {{ return(adapter.dispatch('type_json', 'commerce_dw')()) }}
{%- endmacro %}
{% macro default__type_json() -%}json{%- endmacro %}
{% macro spark__type_json() -%}string{%- endmacro %}

{#-
    A contract's data_type in the engine's DDL: on Spark `string[]` (a list of texts) is array<string>, and an
    instant (`timestamp with time zone`, DuckDB's timestamptz) is Spark's timestamp.
-#}
{% macro engine_data_type(data_type) -%}
    {{ return(adapter.dispatch('engine_data_type', 'commerce_dw')(data_type)) }}
{%- endmacro %}
{% macro default__engine_data_type(data_type) -%}{{ data_type }}{%- endmacro %}
{% macro spark__engine_data_type(data_type) -%}
    {%- if data_type.strip().endswith('[]') -%}
        array<{{ spark__engine_data_type(data_type.strip()[:-2]) }}>
    {%- elif data_type.strip().lower() in ('timestamp with time zone', 'timestamptz') -%}
        timestamp
    {%- else -%}
        {{ data_type }}
    {%- endif -%}
{%- endmacro %}

{#- A JSON array of texts as a list of texts. -#}
{% macro json_to_string_array(json_expression) -%}
    {{ return(adapter.dispatch('json_to_string_array', 'commerce_dw')(json_expression)) }}
{%- endmacro %}
{% macro default__json_to_string_array(json_expression) -%}
    cast({{ json_expression }} as {{ dbt.type_string() }}[])
{%- endmacro %}
{% macro spark__json_to_string_array(json_expression) -%}
    from_json({{ json_expression }}, 'array<string>')
{%- endmacro %}

{#- The distinct non-null values of a list (in no particular order). -#}
{% macro array_distinct_values(array_expression) -%}
    {{ return(adapter.dispatch('array_distinct_values', 'commerce_dw')(array_expression)) }}
{%- endmacro %}
{% macro default__array_distinct_values(array_expression) -%}
    list_distinct({{ array_expression }})
{%- endmacro %}
{% macro spark__array_distinct_values(array_expression) -%}
    array_distinct(filter({{ array_expression }}, value -> value is not null))
{%- endmacro %}

{#- The number of elements of a list; null for a null list. -#}
{% macro array_size(array_expression) -%}
    {{ return(adapter.dispatch('array_size', 'commerce_dw')(array_expression)) }}
{%- endmacro %}
{% macro default__array_size(array_expression) -%}
    len({{ array_expression }})
{%- endmacro %}
{% macro spark__array_size(array_expression) -%}
    array_size({{ array_expression }})
{%- endmacro %}

{#- In a select list: one output row per element of the list (none for an empty or null list). -#}
{% macro unnest_array(array_expression) -%}
    {{ return(adapter.dispatch('unnest_array', 'commerce_dw')(array_expression)) }}
{%- endmacro %}
{% macro default__unnest_array(array_expression) -%}
    unnest({{ array_expression }})
{%- endmacro %}
{% macro spark__unnest_array(array_expression) -%}
    explode({{ array_expression }})
{%- endmacro %}

{#- Aggregate: `value` from the row with the smallest (order_columns...) tuple. -#}
{% macro value_at_min(value, order_columns) -%}
    {{ return(adapter.dispatch('value_at_min', 'commerce_dw')(value, order_columns)) }}
{%- endmacro %}
{% macro default__value_at_min(value, order_columns) -%}
    arg_min({{ value }}, ({{ order_columns | join(', ') }}))
{%- endmacro %}
{% macro spark__value_at_min(value, order_columns) -%}
    min_by({{ value }}, struct({{ order_columns | join(', ') }}))
{%- endmacro %}

{#-
    Days: a date plus n days, and the days from one date to another. dbt's own dateadd / datediff on Spark raise
    on a null date; these keep null in, null out, on both engines.
-#}
{% macro add_days(day_count, date_expression) -%}
    {{ return(adapter.dispatch('add_days', 'commerce_dw')(day_count, date_expression)) }}
{%- endmacro %}
{% macro default__add_days(day_count, date_expression) -%}
    {{ dbt.dateadd('day', day_count, date_expression) }}
{%- endmacro %}
{% macro spark__add_days(day_count, date_expression) -%}
    date_add(cast({{ date_expression }} as date), cast({{ day_count }} as int))
{%- endmacro %}

{% macro days_between(from_date, to_date) -%}
    {{ return(adapter.dispatch('days_between', 'commerce_dw')(from_date, to_date)) }}
{%- endmacro %}
{% macro default__days_between(from_date, to_date) -%}
    {{ dbt.datediff(from_date, to_date, 'day') }}
{%- endmacro %}
{% macro spark__days_between(from_date, to_date) -%}
    datediff(cast({{ to_date }} as date), cast({{ from_date }} as date))
{%- endmacro %}

{#- Calendar parts: ISO day of week (Monday 1 … Sunday 7), English month and day names. -#}
{% macro iso_day_of_week(date_expression) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'commerce_dw')(date_expression)) }}
{%- endmacro %}
{% macro default__iso_day_of_week(date_expression) -%}isodow({{ date_expression }}){%- endmacro %}
{% macro spark__iso_day_of_week(date_expression) -%}(weekday({{ date_expression }}) + 1){%- endmacro %}

{% macro month_name(date_expression) -%}
    {{ return(adapter.dispatch('month_name', 'commerce_dw')(date_expression)) }}
{%- endmacro %}
{% macro default__month_name(date_expression) -%}monthname({{ date_expression }}){%- endmacro %}
{% macro spark__month_name(date_expression) -%}date_format({{ date_expression }}, 'MMMM'){%- endmacro %}

{% macro day_name(date_expression) -%}
    {{ return(adapter.dispatch('day_name', 'commerce_dw')(date_expression)) }}
{%- endmacro %}
{% macro default__day_name(date_expression) -%}dayname({{ date_expression }}){%- endmacro %}
{% macro spark__day_name(date_expression) -%}date_format({{ date_expression }}, 'EEEE'){%- endmacro %}

{#-
    amount × part / whole, rounded half away from zero to the cent, exactly (null when whole is 0 or null).
    DuckDB divides decimals as doubles (60.00 × 40.20 / 2400.00 = 1.00499… would round to 1.00, not 1.01), so
    there the division is of whole numbers: the product in ten-thousandths over whole in cents gives cents.
    Spark divides decimals exactly. For inputs with at most two decimals (money, the cost assumptions' amounts).
-#}
{% macro decimal_share(amount, part, whole) -%}
    {{ return(adapter.dispatch('decimal_share', 'commerce_dw')(amount, part, whole)) }}
{%- endmacro %}
{% macro default__decimal_share(amount, part, whole) -%}
    {%- set product = 'cast((' ~ amount ~ ') * (' ~ part ~ ') * 10000 as hugeint)' -%}
    {%- set divisor = 'nullif(cast((' ~ whole ~ ') * 100 as hugeint), 0)' -%}
    cast(
        sign({{ product }}) * sign({{ divisor }})
        * ((2 * abs({{ product }}) + abs({{ divisor }})) // (2 * abs({{ divisor }})))
        as decimal(38, 0)
    ) * cast(0.01 as decimal(3, 2))
{%- endmacro %}
{% macro spark__decimal_share(amount, part, whole) -%}
    round(({{ amount }}) * ({{ part }}) / nullif({{ whole }}, 0), 2)
{%- endmacro %}

{#- Seconds (fractional) from one timestamp to another, to the microsecond on both engines. -#}
{% macro seconds_between(from_timestamp, to_timestamp) -%}
    {{ return(adapter.dispatch('seconds_between', 'commerce_dw')(from_timestamp, to_timestamp)) }}
{%- endmacro %}
{% macro default__seconds_between(from_timestamp, to_timestamp) -%}
    epoch({{ to_timestamp }} - {{ from_timestamp }})
{%- endmacro %}
{% macro spark__seconds_between(from_timestamp, to_timestamp) -%}
    (unix_micros({{ to_timestamp }}) - unix_micros({{ from_timestamp }})) / 1000000.0
{%- endmacro %}
