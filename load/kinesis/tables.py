"""Kinesis records as Arrow tables for `email_events` and `email_events_rejected`: one pair per batch.

Arrow, not dicts: dlt writes the tables to parquet as they are and skips its per-row JSON normalizer.
The column names and types are the contract of `raw_email` (models/staging/email reads them).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
from dlt.common.schema.typing import TColumnSchema

from load.kinesis.validation import EventTimeWindow, Rejection, payload_text, validate_record
from load.raw_tables import arrow_schema

EVENTS_TABLE = "email_events"
REJECTED_TABLE = "email_events_rejected"
# dlt's row id. Tables first loaded from dicts have it NOT NULL, so every row gets one: the row's key as text.
ROW_ID = "_dlt_id"


def _columns(**types: str) -> dict[str, TColumnSchema]:
    return {name: {"name": name, "data_type": data_type, "nullable": True} for name, data_type in types.items()}  # type: ignore[misc]


# Where each record came from; the key (shard_id, sequence_number) makes a replayed batch merge, not duplicate.
_RECORD_COLUMNS = {
    **_columns(shard_id="text", sequence_number="text", partition_key="text", approximate_arrival_at="timestamp"),
    ROW_ID: {"name": ROW_ID, "data_type": "text", "nullable": False},
}
# Declared in full so both tables exist, with stable types, even before their first row.
EVENT_COLUMNS: dict[str, TColumnSchema] = {
    **_columns(
        event_id="text",
        event_type="text",
        datetime_raw="text",
        event_at="timestamp",
        algorithms="json",
        user="bigint",
        layout="text",
        partner="text",
        subject="text",
        email_provider="text",
        device="text",
        os="text",
        bounce="bool",
        complaint="bool",
        extra_fields="text",
    ),
    **_RECORD_COLUMNS,
}
REJECTED_COLUMNS: dict[str, TColumnSchema] = {
    **_columns(payload="text", payload_is_base64="bool", reason="text", reason_detail="text"),
    **_RECORD_COLUMNS,
}
COLUMNS = {EVENTS_TABLE: EVENT_COLUMNS, REJECTED_TABLE: REJECTED_COLUMNS}


# Compact and not ASCII-escaped: the text dlt writes for a json column. One encoder, not one per value.
_json_text = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


SCHEMAS = {table: arrow_schema(columns) for table, columns in COLUMNS.items()}
# The columns a record's validation gives; the others say where it came from (_RECORD_COLUMNS).
_VALUE_COLUMNS = {
    table: [name for name in columns if name not in _RECORD_COLUMNS] for table, columns in COLUMNS.items()
}
_JSON_COLUMNS = {
    table: [name for name, column in columns.items() if column["data_type"] == "json"]
    for table, columns in COLUMNS.items()
}


def route(record: dict[str, Any], window: EventTimeWindow) -> tuple[str, dict[str, Any]]:
    """The table a Kinesis record goes to and its columns there, apart from where it came from. The event's time
    is checked against the record's arrival (now, for a record that does not say)."""
    data: bytes = record["Data"]
    arrived_at = record.get("ApproximateArrivalTimestamp") or datetime.now(UTC)
    checked = validate_record(data, arrived_at, window)
    if not isinstance(checked, Rejection):
        return EVENTS_TABLE, checked
    payload, is_base64 = payload_text(data)
    return REJECTED_TABLE, {
        "payload": payload,
        "payload_is_base64": is_base64,
        "reason": checked.reason,
        "reason_detail": checked.detail,
    }


def batch_tables(records: list[dict[str, Any]], shard_id: str, window: EventTimeWindow) -> dict[str, pa.Table]:
    """The records of one GetRecords batch as a table per destination; tables without rows are left out."""
    routed: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {
        EVENTS_TABLE: ([], []),
        REJECTED_TABLE: ([], []),
    }
    for record in records:
        table, row = route(record, window)
        routed[table][0].append(record)
        routed[table][1].append(row)
    return {table: _to_arrow(table, kept, rows, shard_id) for table, (kept, rows) in routed.items() if rows}


def _to_arrow(table: str, records: list[dict[str, Any]], rows: list[dict[str, Any]], shard_id: str) -> pa.Table:
    """Built column by column: the validated columns from `rows`, shard, sequence number and arrival from `records`."""
    sequence_numbers = [record["SequenceNumber"] for record in records]
    columns = {
        "shard_id": [shard_id] * len(records),
        "sequence_number": sequence_numbers,
        "partition_key": [record.get("PartitionKey") for record in records],
        "approximate_arrival_at": [record.get("ApproximateArrivalTimestamp") for record in records],
        ROW_ID: [f"{shard_id}/{sequence_number}" for sequence_number in sequence_numbers],
    }
    for name in _VALUE_COLUMNS[table]:
        columns[name] = [row[name] for row in rows]
    for name in _JSON_COLUMNS[table]:
        columns[name] = [None if value is None else _json_text(value) for value in columns[name]]
    schema = SCHEMAS[table]
    return pa.Table.from_arrays([pa.array(columns[field.name], field.type) for field in schema], schema=schema)
