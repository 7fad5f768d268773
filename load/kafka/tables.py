"""Kafka messages as Arrow tables for `transactions` and `transactions_rejected`: one pair per batch.

Arrow, not dicts: dlt writes the tables to parquet as they are. The column names and types are the contract of
`raw_shop` (models/staging/shop reads them). Every row says where it came from: (topic, topic_partition,
message_offset) is the key, so a batch read again merges instead of duplicating.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
from confluent_kafka import TIMESTAMP_NOT_AVAILABLE, Message
from dlt.common.schema.typing import TColumnSchema

from load.kafka.validation import Rejection, payload_text, validate_message
from load.raw_tables import arrow_schema

TRANSACTIONS_TABLE = "transactions"
REJECTED_TABLE = "transactions_rejected"
KEY = ("topic", "topic_partition", "message_offset")
# dlt's row id; tables first loaded from dicts have it NOT NULL, so every row gets one: the key as text.
ROW_ID = "_dlt_id"


def _columns(**types: str) -> dict[str, TColumnSchema]:
    columns: dict[str, TColumnSchema] = {}
    for name, data_type in types.items():
        column: TColumnSchema = {"name": name, "data_type": data_type, "nullable": name not in KEY}  # type: ignore[typeddict-item]
        if data_type == "decimal":
            column.update(precision=12, scale=2)
        columns[name] = column
    return columns


_MESSAGE_COLUMNS: dict[str, TColumnSchema] = {
    **_columns(
        topic="text", topic_partition="bigint", message_offset="bigint", message_key="text", message_at="timestamp"
    ),
    ROW_ID: {"name": ROW_ID, "data_type": "text", "nullable": False},
}
TRANSACTION_COLUMNS: dict[str, TColumnSchema] = {
    **_columns(
        transaction_no="text",
        date_raw="text",
        transacted_at="timestamp",
        product_no="text",
        product_name="text",
        price="decimal",
        quantity="bigint",
        customer_no="text",
        country="text",
        extra_fields="text",
    ),
    **_MESSAGE_COLUMNS,
}
REJECTED_COLUMNS: dict[str, TColumnSchema] = {
    **_columns(payload="text", payload_is_base64="bool", reason="text", reason_detail="text"),
    **_MESSAGE_COLUMNS,
}
COLUMNS = {TRANSACTIONS_TABLE: TRANSACTION_COLUMNS, REJECTED_TABLE: REJECTED_COLUMNS}
SCHEMAS = {table: arrow_schema(columns) for table, columns in COLUMNS.items()}
_VALUE_COLUMNS = {table: [name for name in cols if name not in _MESSAGE_COLUMNS] for table, cols in COLUMNS.items()}


def route(message: Message) -> tuple[str, dict[str, Any]]:
    """The table a message goes to and its columns there, apart from where it came from."""
    checked = validate_message(message.value())
    if not isinstance(checked, Rejection):
        return TRANSACTIONS_TABLE, checked
    payload, is_base64 = payload_text(message.value())
    return REJECTED_TABLE, {
        "payload": payload,
        "payload_is_base64": is_base64,
        "reason": checked.reason,
        "reason_detail": checked.detail,
    }


def _message_time(message: Message) -> datetime | None:
    kind, milliseconds = message.timestamp()
    return None if kind == TIMESTAMP_NOT_AVAILABLE else datetime.fromtimestamp(milliseconds / 1000, UTC)


def _key_text(key: bytes | None) -> str | None:
    return None if key is None else payload_text(key)[0]


def batch_tables(messages: list[Message]) -> dict[str, pa.Table]:
    """The messages of one batch as a table per destination; tables without rows are left out."""
    routed: dict[str, tuple[list[Message], list[dict[str, Any]]]] = {
        TRANSACTIONS_TABLE: ([], []),
        REJECTED_TABLE: ([], []),
    }
    for message in messages:
        table, row = route(message)
        routed[table][0].append(message)
        routed[table][1].append(row)
    return {table: _to_arrow(table, kept, rows) for table, (kept, rows) in routed.items() if rows}


def _to_arrow(table: str, messages: list[Message], rows: list[dict[str, Any]]) -> pa.Table:
    columns: dict[str, list[Any]] = {
        "topic": [message.topic() for message in messages],
        "topic_partition": [message.partition() for message in messages],
        "message_offset": [message.offset() for message in messages],
        "message_key": [_key_text(message.key()) for message in messages],
        "message_at": [_message_time(message) for message in messages],
    }
    columns[ROW_ID] = [
        f"{topic}/{partition}/{offset}"
        for topic, partition, offset in zip(
            columns["topic"], columns["topic_partition"], columns["message_offset"], strict=True
        )
    ]
    for name in _VALUE_COLUMNS[table]:
        columns[name] = [row[name] for row in rows]
    schema = SCHEMAS[table]
    return pa.Table.from_arrays([pa.array(columns[field.name], field.type) for field in schema], schema=schema)
