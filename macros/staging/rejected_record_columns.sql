{#-
    Why a stream loader quarantined a record, and the record as it arrived: the same columns in every
    `*_rejected` raw table (Kinesis streams and Kafka topics alike).
-#}
{% macro rejected_record_columns() -%}
        cast(reason as {{ dbt.type_string() }}) as reason,
        cast(reason_detail as {{ dbt.type_string() }}) as reason_detail,
        cast(payload as {{ dbt.type_string() }}) as payload,
        cast(payload_is_base64 as {{ dbt.type_boolean() }}) as is_payload_base64
{%- endmacro %}
