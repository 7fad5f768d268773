"""Whole-table copies straight into the DuckDB warehouse: DuckDB inserts connectorx's Arrow batches as they are read.

dlt's own path moves a table in two passes, one after the other: every batch is written to a file (extract),
then DuckDB reads the files (load); at 10M rows that is ~1.6x the time of one pass (bench/). A whole copy (a
first load, a replace-strategy table, a CDC snapshot) instead runs inside its resource, during extract, on dlt's
own SQL client for the warehouse. The resource then yields an empty Arrow table shaped like the copy, so dlt's
schema records the table with its reflected types and keys, and later loads (CDC merges) find it.

Consistency: the copy is written under a pending name and renamed over the raw table, together with the run's
other copies, only once the dlt load that commits the state depending on it (a CDC snapshot's binlog position)
has committed (load/pending_copies.py): a failed or killed run leaves every raw table as it was.
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

from load.metrics import ROWS_WRITTEN, SECONDS_WRITING
from load.mysql.chunked_read import table_batches
from load.pending_copies import pending_name

LOAD_ID_COLUMN = "_dlt_load_id"  # as dlt's parquet normalizer adds it (add_dlt_load_id)


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
        expression = f'"{field.name}"'
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
) -> DltResource:
    """A resource named `table` that copies the whole source table into the pipeline's dataset."""

    @dlt.resource(name=table, columns=columns, primary_key=list(primary_key), write_disposition="append")
    def copy() -> Iterator[pa.Table]:
        started = time.monotonic()
        pipeline = dlt.current.pipeline()
        naming = dlt.current.source_schema().naming
        load_id = dlt.current.load_package_state()["load_id"]
        reader = table_batches(url, table, _range_key(columns, primary_key), settings.batch_size)
        with pipeline.sql_client() as client:
            if not client.has_dataset():
                client.create_dataset()
            # Published over the raw table once this load commits (load/pending_copies.py).
            target = client.make_qualified_table_name(pending_name(naming.normalize_table_identifier(table), load_id))
            columns_sql = select_list(reader.schema, columns, naming, client.capabilities.get_type_mapper())
            connection = client.native_connection
            connection.register("source_batches", reader)
            defaults = copy_settings(connection, settings)
            try:
                rows = connection.execute(
                    f"CREATE OR REPLACE TABLE {target} AS "
                    f"SELECT {columns_sql}, '{load_id}' AS {LOAD_ID_COLUMN} FROM source_batches"
                ).fetchone()  # DuckDB answers a CREATE TABLE AS with its row count
            finally:
                restore_settings(connection, defaults)  # dlt's merges keep DuckDB's defaults
                connection.unregister("source_batches")
            shape = connection.sql(f"SELECT * EXCLUDE ({LOAD_ID_COLUMN}) FROM {target} LIMIT 0").to_arrow_table()
        metrics = dlt.current.resource_metrics()
        metrics[ROWS_WRITTEN] = int(rows[0]) if rows else 0
        metrics[SECONDS_WRITING] = time.monotonic() - started
        yield shape

    return copy()


def copy_settings(connection: Any, settings: CopySettings) -> dict[str, Any]:
    """Set DuckDB up for one copy; the settings it had before, to restore afterwards.

    - memory_limit: see CopySettings.
    - preserve_insertion_order off: a raw table is a set of rows, and DuckDB then inserts without keeping the
      batches' order, which took a 10M-row copy from 9.6-10.1 s to 8.3-8.6 s at the same 128MB, in less memory.
    """
    wanted = {"memory_limit": settings.memory_limit, "preserve_insertion_order": False}
    defaults = {name: connection.execute(f"SELECT current_setting('{name}')").fetchone()[0] for name in wanted}
    restore_settings(connection, wanted)
    return defaults


def restore_settings(connection: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        connection.execute(f"SET {name} = {value!r}" if isinstance(value, str) else f"SET {name} = {value}")
