"""Kinesis records as Arrow tables of valid and rejected records (`email_events` and `email_events_rejected`,
`page_views` and `page_views_rejected`): one pair per batch.

Arrow, not dicts: dlt writes the tables to parquet as they are and skips its per-row JSON normalizer.
The column names and types are the contract of `raw_email` and `raw_clickstream` (models/staging reads them).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import pyarrow as pa
from dlt.common.schema.typing import TColumnSchema

from load.kinesis.click_validation import validate_click
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
EMAIL_EVENT_COLUMNS: dict[str, TColumnSchema] = _columns(
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
)
PAGE_VIEW_COLUMNS: dict[str, TColumnSchema] = _columns(
    event_id="text",
    customer_id="bigint",
    device="text",
    os="text",
    url="text",
    traffic_source="text",
    referrer="text",
    datetime_raw="text",
    event_at="timestamp",
    extra_fields="text",
)
# Compact and not ASCII-escaped: the text dlt writes for a json column. One encoder, not one per value.
_json_text = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


_REJECTION_COLUMNS = _columns(payload="text", payload_is_base64="bool", reason="text", reason_detail="text")
Validator = Callable[[bytes, datetime, EventTimeWindow], dict[str, Any] | Rejection]


@dataclass(frozen=True)
class RecordKind:
    """What the records of one stream are: their raw dataset, the dlt resource (whose state holds the stream's
    positions), the table of valid records and of rejected ones, and the validation that tells them apart."""

    name: str
    dataset: str
    resource: str
    events_table: str
    rejected_table: str
    event_columns: dict[str, TColumnSchema]
    validate: Validator

    @cached_property
    def columns(self) -> dict[str, dict[str, TColumnSchema]]:
        return {
            self.events_table: {**self.event_columns, **_RECORD_COLUMNS},
            self.rejected_table: {**_REJECTION_COLUMNS, **_RECORD_COLUMNS},
        }

    @cached_property
    def schemas(self) -> dict[str, pa.Schema]:
        return {table: arrow_schema(columns) for table, columns in self.columns.items()}

    @cached_property
    def json_columns(self) -> frozenset[str]:
        return frozenset(name for name, column in self.event_columns.items() if column["data_type"] == "json")


EMAIL = RecordKind(
    "email", "raw_email", "email_records", EVENTS_TABLE, REJECTED_TABLE, EMAIL_EVENT_COLUMNS, validate_record
)
CLICKSTREAM = RecordKind(
    "clickstream",
    "raw_clickstream",
    "click_records",
    "page_views",
    "page_views_rejected",
    PAGE_VIEW_COLUMNS,
    validate_click,
)
RECORD_KINDS = {kind.name: kind for kind in (EMAIL, CLICKSTREAM)}
# The email stream's tables (raw_email), by their former names.
COLUMNS = EMAIL.columns
SCHEMAS = EMAIL.schemas


def route(record: dict[str, Any], window: EventTimeWindow, kind: RecordKind = EMAIL) -> tuple[str, dict[str, Any]]:
    """The table a Kinesis record goes to and its columns there, apart from where it came from. The event's time
    is checked against the record's arrival (now, for a record that does not say)."""
    data: bytes = record["Data"]
    arrived_at = record.get("ApproximateArrivalTimestamp") or datetime.now(UTC)
    checked = kind.validate(data, arrived_at, window)
    if not isinstance(checked, Rejection):
        return kind.events_table, checked
    payload, is_base64 = payload_text(data)
    return kind.rejected_table, {
        "payload": payload,
        "payload_is_base64": is_base64,
        "reason": checked.reason,
        "reason_detail": checked.detail,
    }


def batch_tables(
    records: list[dict[str, Any]], shard_id: str, window: EventTimeWindow, kind: RecordKind = EMAIL
) -> dict[str, pa.Table]:
    """The records of one GetRecords batch as a table per destination; tables without rows are left out."""
    routed: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {table: ([], []) for table in kind.columns}
    for record in records:
        table, row = route(record, window, kind)
        routed[table][0].append(record)
        routed[table][1].append(row)
    return {table: _to_arrow(kind, table, kept, rows, shard_id) for table, (kept, rows) in routed.items() if rows}


def _to_arrow(
    kind: RecordKind, table: str, records: list[dict[str, Any]], rows: list[dict[str, Any]], shard_id: str
) -> pa.Table:
    """Built column by column: the validated columns from `rows`, shard, sequence number and arrival from `records`."""
    sequence_numbers = [record["SequenceNumber"] for record in records]
    columns = {
        "shard_id": [shard_id] * len(records),
        "sequence_number": sequence_numbers,
        "partition_key": [record.get("PartitionKey") for record in records],
        "approximate_arrival_at": [record.get("ApproximateArrivalTimestamp") for record in records],
        ROW_ID: [f"{shard_id}/{sequence_number}" for sequence_number in sequence_numbers],
    }
    for name in rows[0]:
        columns[name] = [row[name] for row in rows]
        if name in kind.json_columns:
            columns[name] = [None if value is None else _json_text(value) for value in columns[name]]
    schema = kind.schemas[table]
    return pa.Table.from_arrays([pa.array(columns[field.name], field.type) for field in schema], schema=schema)
