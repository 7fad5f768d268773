"""Whole-table copies straight into the DuckDB warehouse: DuckDB inserts connectorx's Arrow batches as they are read.

dlt's own path moves a table in two passes, one after the other: every batch is written to a file (extract),
then DuckDB reads the files (load); at 10M rows that is ~1.6x the time of one pass (bench/). A whole copy (a
first load, a replace-strategy table, a CDC snapshot) instead runs inside its resource, during extract, on dlt's
own SQL client for the warehouse. The resource then yields an empty Arrow table shaped like the copy, so dlt's
schema records the table with its reflected types and keys, and later loads (CDC merges) find it.

Consistency: the copy is written under a pending name and renamed over the raw table, together with the run's
other copies, only once the dlt load that commits the state depending on it (a CDC snapshot's binlog position)
has committed (load/pending_copies.py): a failed or killed run leaves every raw table as it was. A copy of a
table raw already has keeps what only raw knows (raw_columns.py) and never narrows a column's type (raw_types.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import dlt
import pyarrow as pa
from dlt.common.schema.typing import TColumnSchema, TTableSchemaColumns
from dlt.extract.resource import DltResource

from load.duckdb_settings import settings_for_a_while
from load.duckdb_transaction import in_transaction
from load.metrics import ROWS_WRITTEN, SECONDS_WRITING
from load.mysql import gone_rows
from load.mysql.chunked_read import table_batches
from load.mysql.raw_columns import LOAD_ID_COLUMN, kept_columns, key_join
from load.mysql.raw_types import DECIMAL, wider_type
from load.pending_copies import pending_name
from load.warehouse_catalog import table_columns

# Reflected types more precise than connectorx's Arrow types (decimal(38,10); naive timestamps), cast the way
# dlt's own load would store them. Other columns keep their Arrow type, as dlt's Arrow loads do (INT -> INTEGER).
CAST_DATA_TYPES = frozenset({"decimal", "timestamp"})
# DuckDB keeps a DECIMAL of up to 18 digits in 64 bits and a wider one in 128; narrowing a 128-bit decimal is ~40x
# slower than narrowing a 64-bit one (10M values: 2.6 s vs 0.06 s), and was a tenth of a 10M-row copy.
NARROW_DECIMAL_DIGITS = 18


def select_list(source: pa.Schema, columns: TTableSchemaColumns, naming: Any, type_mapper: Any) -> str:
    """Source columns renamed the way dlt names them, and cast to dlt's type where reflection knows better."""
    selected = []
    for field in source:
        target = naming.normalize_identifier(field.name)
        column = columns.get(field.name)
        expression = f'source_batches."{field.name}"'
        if column is not None and column.get("data_type") in CAST_DATA_TYPES:
            hint: TColumnSchema = {**column, "name": target}
            destination_type = type_mapper.to_destination_type(hint, {"name": target})
            expression = f"CAST({_narrowed(expression, field.type, column)} AS {destination_type})"
        selected.append(f'{expression} AS "{target}"')
    return ", ".join(selected)


def _narrowed(expression: str, source_type: pa.DataType, column: TColumnSchema) -> str:
    """A wide source decimal first cast to DECIMAL(18, its scale) when the target's integer digits fit there.

    Exact: the scale does not change, and a value too large for the intermediate has more integer digits than
    the target allows, so it fails the cast to the target either way. Rounding happens once, in the last cast.
    """
    precision, scale = column.get("precision"), column.get("scale")
    if not pa.types.is_decimal(source_type) or source_type.precision <= NARROW_DECIMAL_DIGITS:
        return expression
    if precision is None or scale is None or precision - scale > NARROW_DECIMAL_DIGITS - source_type.scale:
        return expression
    return f"CAST({expression} AS DECIMAL({NARROW_DECIMAL_DIGITS}, {source_type.scale}))"


@dataclass(frozen=True)
class CopySettings:
    batch_size: int  # rows per connectorx batch
    # DuckDB's memory while it copies: past it, DuckDB writes its finished blocks out instead of caching them,
    # so the copy's memory stops growing with the table (DuckDB's default is 80% of RAM).
    memory_limit: str


def _range_key(columns: TTableSchemaColumns, primary_key: Sequence[str]) -> str | None:
    """The first primary-key column when it is an integer: large tables are read in ranges of it."""
    if primary_key and columns.get(primary_key[0], {}).get("data_type") == "bigint":
        return primary_key[0]
    return None


def direct_copy(
    url: str,
    table: str,
    columns: TTableSchemaColumns,
    primary_key: Sequence[str],
    settings: CopySettings,
    table_hints: dict[str, Any] | None = None,
    log_gone_rows: bool = False,
) -> DltResource:
    """A resource named `table` that copies the whole source table into the pipeline's dataset.

    `table_hints` are more dlt hints of the table (a CDC table's merge disposition and bookkeeping columns: the
    same as the stream's, so dlt's schema of the table does not depend on which of the two ran last);
    `log_gone_rows`: rows raw had that the copy lacks go to the change log as deletes (gone_rows.py)."""
    hints = {"write_disposition": "append", **(table_hints or {})}
    all_columns = {**columns, **hints.pop("columns", {})}

    @dlt.resource(name=table, columns=all_columns, primary_key=list(primary_key), **hints)
    def copy() -> Iterator[Any]:
        started = time.monotonic()
        pipeline = dlt.current.pipeline()
        schema = dlt.current.source_schema()
        load_id = dlt.current.load_package_state()["load_id"]
        reader = table_batches(url, table, _range_key(columns, primary_key), settings.batch_size)
        with pipeline.sql_client() as client:
            if not client.has_dataset():
                client.create_dataset()
            copier = _TableCopier(client, schema, table, load_id, log_gone_rows)
            rows, widened = copier.copy(reader, columns, primary_key, settings)
            shape = copier.shape()
        metrics = dlt.current.resource_metrics()
        metrics[ROWS_WRITTEN] = rows
        metrics[SECONDS_WRITING] = time.monotonic() - started
        # dlt's schema must hold the types raw has (a widened decimal), or later merges would round to the old ones
        yield dlt.mark.with_hints(shape, dlt.mark.make_hints(columns=widened)) if widened else shape

    return copy()


class _TableCopier:
    """Builds the new table beside the old one, under the pending name load/pending_copies.py publishes."""

    def __init__(self, client: Any, schema: Any, table: str, load_id: str, logs_gone_rows: bool) -> None:
        self.client = client
        self.logs_gone_rows = logs_gone_rows
        self.schema = schema
        self.naming = schema.naming
        self.name = self.naming.normalize_table_identifier(table)
        self.target = client.make_qualified_table_name(self.name)
        self.new_name = pending_name(self.name, load_id)
        self.new = client.make_qualified_table_name(self.new_name)
        self.load_id = load_id
        self.connection = client.native_connection
        self.type_mapper = client.capabilities.get_type_mapper()

    def copy(
        self, reader: pa.RecordBatchReader, columns: TTableSchemaColumns, primary_key: Sequence[str], settings: Any
    ) -> tuple[int, TTableSchemaColumns]:
        """Rows copied, and the column hints of source columns whose type raw keeps wider than the source's."""
        connection = self.connection
        existing = table_columns(connection, self.client.dataset_name, self.name)
        source_names = {field.name: self.naming.normalize_identifier(field.name) for field in reader.schema}
        source_key = [_source_name(key, source_names) for key in primary_key]
        raw_key = [(key, source_names[key]) for key in source_key if source_names.get(key) in existing]
        keyed = bool(existing) and len(raw_key) == len(primary_key)  # old rows can be matched to new ones
        kept = kept_columns(
            self.name,
            list(source_names.values()),
            existing,
            self.schema.tables.get(self.name, {}).get("columns", {}),
            lambda hint: self.type_mapper.to_destination_type(hint, {"name": self.name}),
            keyed,
        )
        source_select = select_list(reader.schema, columns, self.naming, self.type_mapper)
        select = ", ".join([source_select, *kept.items, f"'{self.load_id}' AS {LOAD_ID_COLUMN}"])
        joined = key_join(self.target, source_key, [raw for _, raw in raw_key]) if kept.joins_old_table else ""
        connection.register("source_batches", reader)
        try:
            # the settings are put back after the copy: dlt's merges expect DuckDB's defaults
            with settings_for_a_while(connection, copy_settings(settings)), in_transaction(connection):
                rows = connection.execute(
                    f"CREATE OR REPLACE TABLE {self.new} AS SELECT {select} FROM source_batches{joined}"
                ).fetchone()
                widened = self._widen(existing, columns, source_names)
                if keyed and self.logs_gone_rows:
                    gone_rows.log_gone_rows(self.client, self.name, self.target, self.new, raw_key, self.load_id)
                self._match_staging_table()
        finally:
            connection.unregister("source_batches")
        return (int(rows[0]) if rows else 0), widened

    def _widen(
        self, existing: dict[str, str], columns: TTableSchemaColumns, source_names: dict[str, str]
    ) -> TTableSchemaColumns:
        """Give the new table's source columns a type holding the old table's values too (raw_types.py)."""
        copied = table_columns(self.connection, self.client.dataset_name, self.new_name)
        widened: TTableSchemaColumns = {}
        for source_name, name in source_names.items():
            if name not in existing:
                continue
            wanted = wider_type(existing[name], copied[name])
            if wanted.upper() != copied[name].upper():
                self.connection.execute(f'ALTER TABLE {self.new} ALTER COLUMN "{name}" SET DATA TYPE {wanted}')
            decimal = DECIMAL.match(wanted.upper())
            hint = columns.get(source_name)
            if decimal and hint is not None and hint.get("data_type") == "decimal":
                precision, scale = int(decimal.group(1)), int(decimal.group(2))
                if (hint.get("precision"), hint.get("scale")) != (precision, scale):
                    widened[source_name] = {**hint, "precision": precision, "scale": scale}
        return widened

    def _match_staging_table(self) -> None:
        """dlt's staging table of the merges (when there is one) gets the new table's columns and types: dlt adds
        missing columns only when its schema changes, and never changes a type (a narrower one rounds silently)."""
        with self.client.with_staging_dataset():
            if not self.client.has_dataset():
                return
            staging = self.client.make_qualified_table_name(self.name)
        self.connection.execute(f"CREATE OR REPLACE TABLE {staging} AS SELECT * FROM {self.new} LIMIT 0")

    def shape(self) -> pa.Table:
        return self.connection.sql(f"SELECT * EXCLUDE ({LOAD_ID_COLUMN}) FROM {self.new} LIMIT 0").to_arrow_table()


def _source_name(column: str, source_names: dict[str, str]) -> str:
    """The source's spelling of a declared key column (MySQL column names are case-insensitive)."""
    return next((name for name in source_names if name.lower() == column.lower()), column)


def copy_settings(settings: CopySettings) -> dict[str, Any]:
    """DuckDB's settings for one copy (load/duckdb_settings.py puts the old ones back afterwards).

    - memory_limit: see CopySettings.
    - preserve_insertion_order off: a raw table is a set of rows, and DuckDB then inserts without keeping the
      batches' order, which took a 10M-row copy from 9.6-10.1 s to 8.3-8.6 s at the same 128MB, in less memory.
    """
    return {"memory_limit": settings.memory_limit, "preserve_insertion_order": False}
