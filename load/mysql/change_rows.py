"""Binlog row changes as warehouse rows: the merged raw table row, and the append-only change log row."""

from __future__ import annotations

import base64
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from load.mysql.binlog_reader import RowChange

CHANGES_TABLE = "_changes"
# Added to every CDC-fed raw table: the row's place among the changes of its load (dlt keeps the last one per
# key, `dedup_sort`), and the delete flag dlt's merge turns into a hard delete (`hard_delete`).
ORDER_COLUMN = "_cdc_order"
DELETED_COLUMN = "_cdc_deleted"
RAW_META_COLUMNS: dict[str, dict[str, Any]] = {
    # dlt gives rows it normalizes a row id; snapshot rows (Arrow) have none, so the column must allow NULL.
    "_dlt_id": {"data_type": "text", "nullable": True, "unique": False},
    ORDER_COLUMN: {"data_type": "bigint", "nullable": True, "dedup_sort": "desc"},
    DELETED_COLUMN: {"data_type": "bool", "nullable": True, "hard_delete": True},
}
CHANGES_KEY = ("stream_id", "binlog_file", "binlog_pos", "row_index")
CHANGES_COLUMNS: dict[str, dict[str, Any]] = {
    "stream_id": {"data_type": "text", "nullable": False},
    "binlog_file": {"data_type": "text", "nullable": False},
    "binlog_pos": {"data_type": "bigint", "nullable": False},
    "row_index": {"data_type": "bigint", "nullable": False},
    "table_name": {"data_type": "text", "nullable": False},
    "operation": {"data_type": "text", "nullable": False},
    "primary_key": {"data_type": "json", "nullable": False},
    "before": {"data_type": "json", "nullable": True},
    "after": {"data_type": "json", "nullable": True},
    "committed_at": {"data_type": "timestamp", "nullable": False},
}


def raw_rows(change: RowChange, primary_key: tuple[str, ...], order: int) -> list[dict[str, Any]]:
    """The rows to merge for one change. An update that moves the primary key also deletes the old key."""
    if change.operation == "delete":
        return [{**change.before, ORDER_COLUMN: order, DELETED_COLUMN: True}]  # type: ignore[dict-item]
    after = change.after or {}
    rows = [{**after, ORDER_COLUMN: order, DELETED_COLUMN: False}]
    if change.before is not None and _key(change.before, primary_key) != _key(after, primary_key):
        rows.insert(0, {**change.before, ORDER_COLUMN: order, DELETED_COLUMN: True})
    return rows


def log_row(change: RowChange, primary_key: tuple[str, ...], committed_at: datetime, stream_id: str) -> dict[str, Any]:
    image = change.after if change.after is not None else change.before or {}
    return {
        "stream_id": stream_id,
        "binlog_file": change.position.file,
        "binlog_pos": change.position.pos,
        "row_index": change.row_index,
        "table_name": change.table,
        "operation": change.operation,
        "primary_key": {column: _jsonable(image.get(column)) for column in primary_key},
        "before": _json_image(change.before),
        "after": _json_image(change.after),
        "committed_at": committed_at,
    }


def _key(row: dict[str, Any], primary_key: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(row.get(column) for column in primary_key)


def _json_image(row: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if row is None else {column: _jsonable(value) for column, value in row.items()}


def _jsonable(value: Any) -> Any:
    """Exact JSON for MySQL values: decimals as text (no float rounding), dates ISO, binary as base64."""
    if isinstance(value, Decimal | timedelta):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, set | frozenset):
        return sorted(value)
    return value
