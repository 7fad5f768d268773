"""Binlog row changes as warehouse rows: the merged raw table row, and the append-only change log row."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import orjson
import pyarrow as pa
from dlt.common.utils import digest128

from load.errors import LoadConfigError
from load.mysql.binlog_position import RESNAPSHOT_HINT
from load.mysql.binlog_reader import RowChange

log = logging.getLogger("load.mysql")

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
# The dlt hints of a CDC-fed raw table, alike for the stream's merges and for the table's whole copies.
# Parquet, not DuckDB's default INSERT statements for Python rows: 10x faster to load and far less memory.
LOADER_FILE_FORMAT = "parquet"
RAW_TABLE_HINTS: dict[str, Any] = {
    "write_disposition": {"disposition": "merge", "strategy": "delete-insert"},
    "columns": RAW_META_COLUMNS,
    "file_format": LOADER_FILE_FORMAT,
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


# Rows reach dlt as Arrow tables, not dicts: dlt then skips its per-row JSON normalizer (most of the time of an
# incremental run's normalize step) and writes the tables to parquet as they are.
CHANGES_SCHEMA = pa.schema(
    [
        ("stream_id", pa.string()),
        ("binlog_file", pa.string()),
        ("binlog_pos", pa.int64()),
        ("row_index", pa.int64()),
        ("table_name", pa.string()),
        ("operation", pa.string()),
        ("primary_key", pa.string()),  # JSON text (the json columns of CHANGES_COLUMNS)
        ("before", pa.string()),
        ("after", pa.string()),
        ("committed_at", pa.timestamp("us", tz="UTC")),
        # dlt gives the rows it normalizes a `_dlt_id` (NOT NULL in warehouses loaded before rows came as Arrow);
        # here it is a digest of the change's key, so a load replayed after a crash gives the same ids.
        ("_dlt_id", pa.string()),
    ]
)


class ChangeLog:
    """Change-log rows, their row images as JSON text; kept as tuples (one allocation per row) and turned into
    Arrow columns at the end."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, change: RowChange, primary_key: tuple[str, ...], committed_at: datetime, stream_id: str) -> None:
        before, after, position = change.before, change.after, change.position
        image = after if after is not None else before or {}
        self.rows.append(
            (
                stream_id,
                position.file,
                position.pos,
                change.row_index,
                change.table,
                change.operation,
                json_text({column: image.get(column) for column in primary_key}),
                None if before is None else json_text(before),
                None if after is None else json_text(after),
                committed_at,
                digest128(f"{stream_id}|{position.file}|{position.pos}|{change.row_index}"),
            )
        )

    def table(self) -> pa.Table:
        columns = list(zip(*self.rows, strict=True)) if self.rows else [()] * len(CHANGES_SCHEMA)
        arrays = [pa.array(values, type=field.type) for values, field in zip(columns, CHANGES_SCHEMA, strict=True)]
        return pa.Table.from_arrays(arrays, schema=CHANGES_SCHEMA)


ColumnTypes = Callable[[str], pa.DataType | None]  # source column name -> its Arrow type, if dlt's schema has it


def raw_table(rows: list[dict[str, Any]], table: str, column_types: ColumnTypes) -> pa.Table | list[dict[str, Any]]:
    """Raw rows as Arrow, each column typed as dlt's schema has it (reflected when the table was copied: a
    type guessed from one batch's values, say DECIMAL(7,2), would not fit the next). A value that does not
    convert (a MySQL SET arrives as a Python set, TIME as a timedelta) keeps the rows as dicts for dlt's
    normalizer."""
    columns = dict.fromkeys(column for row in rows for column in row)  # every column seen, in order
    arrays = {}
    for column in columns:
        values, arrow_type = [row.get(column) for row in rows], column_types(column)
        try:
            arrays[column] = pa.array(values, type=arrow_type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError) as error:
            if arrow_type is not None and pa.types.is_decimal(arrow_type):
                # dlt's normalizer would round it to the column's scale: never load a value changed
                raise LoadConfigError(
                    f"a change to {table}.{column} does not fit raw's {arrow_type} ({error}): the source column "
                    f"changed without a DDL the binlog showed; take a new snapshot: {RESNAPSHOT_HINT}"
                ) from error
            log.info("mysql: %s rows go to dlt as dicts (%s)", table, error)
            return rows
    return pa.Table.from_pydict(arrays)


def _key(row: dict[str, Any], primary_key: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(row.get(column) for column in primary_key)


def json_text(image: dict[str, Any]) -> str:
    """Exact JSON for MySQL values: decimals as text (no float rounding), dates ISO, binary as base64."""
    return orjson.dumps(image, default=_jsonable).decode()


def _jsonable(value: Any) -> Any:
    """What orjson does not take as it is: its ISO dates and times are Python's isoformat() already."""
    if isinstance(value, Decimal | timedelta):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"no JSON for a {type(value).__name__} value")
