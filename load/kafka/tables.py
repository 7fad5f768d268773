"""Kafka messages as Arrow tables for `transactions` and `transactions_rejected`: one pair per batch.

Arrow, not dicts: dlt writes the tables to parquet as they are. The column names and types are the contract of
`raw_shop` (models/staging/shop reads them). Every row says where it came from: (topic, topic_partition,
message_offset) is the key, so a batch read again merges instead of duplicating.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from confluent_kafka import TIMESTAMP_NOT_AVAILABLE, Message
from dlt.common.schema.typing import TColumnSchema

from load.kafka.batch_validation import accepted_rows
from load.kafka.validation import Rejection, decoded, payload_text, validate_message
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
_MESSAGE_TIME = SCHEMAS[TRANSACTIONS_TABLE].field("message_at").type


def route(value: bytes | None) -> tuple[str, dict[str, Any]]:
    """The table a message goes to and its columns there, apart from where it came from (one message at a time)."""
    checked = validate_message(value)
    if not isinstance(checked, Rejection):
        return TRANSACTIONS_TABLE, checked
    payload, is_base64 = payload_text(value)
    return REJECTED_TABLE, {
        "payload": payload,
        "payload_is_base64": is_base64,
        "reason": checked.reason,
        "reason_detail": checked.detail,
    }


def batch_tables(messages: list[Message]) -> dict[str, pa.Table]:
    """The messages of one batch as a table per destination; tables without rows are left out.

    The batch is checked as a whole first (batch_validation.py); only the messages that check leaves out go through
    validation.py one by one, which decides them exactly as it always did."""
    origins = _origins(messages)
    values = list(map(Message.value, messages))
    accepted, columns = accepted_rows(list(map(decoded, values)))
    named = {**origins, **columns}
    schema = SCHEMAS[TRANSACTIONS_TABLE]
    together = pa.Table.from_arrays([named[name] for name in schema.names], schema=schema).filter(accepted)
    parts: dict[str, list[pa.Table]] = {TRANSACTIONS_TABLE: [together], REJECTED_TABLE: []}
    left_out = pc.indices_nonzero(pc.invert(accepted)).to_pylist()
    for table, (indices, rows) in _one_by_one(values, left_out).items():
        parts[table].append(_with_origins(table, origins, indices, rows))
    tables = {table: pa.concat_tables(pieces) for table, pieces in parts.items() if pieces}
    return {table: rows for table, rows in tables.items() if rows.num_rows}


def _one_by_one(values: list[bytes | None], indices: list[int]) -> dict[str, tuple[list[int], list[dict[str, Any]]]]:
    """The messages at `indices` routed by validation.py: per table, their indices and columns."""
    routed: dict[str, tuple[list[int], list[dict[str, Any]]]] = {}
    for index in indices:
        table, row = route(values[index])
        kept, rows = routed.setdefault(table, ([], []))
        kept.append(index)
        rows.append(row)
    return routed


def _origins(messages: list[Message]) -> dict[str, pa.Array]:
    """Where each message came from, as the columns every row of both tables has."""
    topics = pa.array(list(map(Message.topic, messages)), pa.string())
    partitions = pa.array(list(map(Message.partition, messages)), pa.int64())
    offsets = pa.array(list(map(Message.offset, messages)), pa.int64())
    return {
        "topic": topics,
        "topic_partition": partitions,
        "message_offset": offsets,
        "message_key": _key_texts(list(map(Message.key, messages))),
        "message_at": _message_times(list(map(Message.timestamp, messages))),
        ROW_ID: pc.binary_join_element_wise(topics, partitions.cast(pa.string()), offsets.cast(pa.string()), "/"),
    }


def _key_texts(keys: list[bytes | None]) -> pa.Array:
    """Message keys as text: UTF-8 as is, else base64 (like a rejected payload)."""
    try:
        return pa.array(keys, pa.binary()).cast(pa.string())
    except pa.ArrowInvalid:  # a key that is not UTF-8
        return pa.array([None if key is None else payload_text(key)[0] for key in keys], pa.string())


def _message_times(stamps: list[tuple[int, int]]) -> pa.Array:
    milliseconds = [None if kind == TIMESTAMP_NOT_AVAILABLE else value for kind, value in stamps]
    return pa.array(milliseconds, pa.int64()).cast(pa.timestamp("ms", tz="UTC")).cast(_MESSAGE_TIME)


def _with_origins(table: str, origins: dict[str, pa.Array], indices: list[int], rows: list[dict[str, Any]]) -> pa.Table:
    """Rows decided one by one, with the columns of where their messages came from."""
    taken = pa.array(indices, pa.int64())
    columns = {name: origin.take(taken) for name, origin in origins.items()}
    schema = SCHEMAS[table]
    arrays = [
        columns[field.name] if field.name in columns else pa.array([row[field.name] for row in rows], field.type)
        for field in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)
