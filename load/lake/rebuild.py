"""`python -m load rebuild-raw --from-lake`: the raw tables rebuilt into a DuckDB file from the lake alone.

Each dataset's manifests are replayed in load order (load ids sort by time), each table's file applied the way
its manifest says the load wrote it: replace -> the table is the file's rows; append -> rows added;
merge/delete-insert -> the file's keys replace the table's (a row with the hard-delete column true only deletes
its key); merge/insert-only -> rows whose key the table lacks added. Columns take the types the manifest lists
(a column a later load adds is added, one whose type a later copy widened is widened).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from load.durable_files import database_files, durable_replace
from load.errors import LoadConfigError
from load.lake.files import MANIFESTS_FOLDER, lake_access, manifest_ids, read_manifest
from load.lake.location import Lake, LakeAccessError, unreachable
from load.sql_names import qualified, quote

LAKE_ROWS = "lake_rows"  # the registered Arrow rows of the file being applied


@dataclass(frozen=True)
class RebuiltTable:
    dataset: str
    table: str
    rows: int
    loads: int


def rebuild_raw(lake: Lake, target: Path) -> list[RebuiltTable]:
    """Replay every dataset of `lake` into the DuckDB file `target` (replaced when it exists).

    Built under a temporary name beside `target` and renamed over it once complete: a rebuild that fails or is
    killed part-way leaves `target` as it was, never a file that looks rebuilt but lacks loads."""
    building = target.with_name(f".{target.name}.building")
    try:
        datasets = _datasets(lake)
        if not datasets:
            raise LoadConfigError(f"the lake {lake.url} holds no loads: check LAKE_URL (or [lake] bucket_url)")
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_database(building)  # a killed rebuild's
        with duckdb.connect(str(building)) as connection:
            rebuilt = [table for dataset in datasets for table in _rebuild_dataset(lake, connection, dataset)]
        database_files(target)[1].unlink(missing_ok=True)  # an old file's log must not be replayed into the new one
        durable_replace(building, target)
        return rebuilt
    except LakeAccessError as error:
        raise unreachable(lake, error) from error
    finally:
        _remove_database(building)


def _remove_database(path: Path) -> None:
    for file in database_files(path):
        file.unlink(missing_ok=True)


def _datasets(lake: Lake) -> list[str]:
    """The lake's top-level folders that hold manifests."""
    with lake_access(lake):
        if not lake.fs.exists(lake.root):
            return []
        folders = [path.rsplit("/", 1)[-1] for path in lake.fs.ls(lake.root, detail=False)]
        return sorted(folder for folder in folders if lake.fs.exists(lake.path(folder, MANIFESTS_FOLDER)))


def _rebuild_dataset(lake: Lake, connection: duckdb.DuckDBPyConnection, dataset: str) -> list[RebuiltTable]:
    connection.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(dataset)}")
    loads: dict[str, int] = {}
    for load_id in sorted(manifest_ids(lake, dataset), key=float):
        manifest = read_manifest(lake, dataset, load_id)
        for table, entry in manifest["tables"].items():
            _apply(lake, connection, qualified(dataset, table), entry)
            loads[table] = loads.get(table, 0) + 1
    return [
        RebuiltTable(dataset, table, _count(connection, qualified(dataset, table)), count)
        for table, count in sorted(loads.items())
    ]


def _apply(lake: Lake, connection: duckdb.DuckDBPyConnection, table: str, entry: dict[str, Any]) -> None:
    """Apply one load's file of `table` as its manifest entry says (see the module docstring)."""
    columns: dict[str, str] = entry["columns"]
    rows = _read_files(lake, entry["files"])
    connection.register(LAKE_ROWS, rows)
    try:
        flag = entry.get("hard_delete_column")
        selected = ", ".join(
            f"CAST({quote(name)} AS {data_type}) AS {quote(name)}"
            if name in rows.column_names
            else f"CAST(NULL AS {data_type}) AS {quote(name)}"
            for name, data_type in columns.items()
        )
        source = f"(SELECT {selected} FROM {LAKE_ROWS})"
        kept = f"{source} WHERE {quote(flag)} IS NOT TRUE" if flag else source
        existing = _table_columns(connection, table)
        if entry["write_disposition"] == "replace" or not existing:
            connection.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {kept}")
            return
        _add_columns(connection, table, existing, columns)
        key = entry.get("primary_key") or []
        matches = " AND ".join(f"new.{quote(name)} = old.{quote(name)}" for name in key)
        if entry["write_disposition"] == "merge" and key and entry.get("merge_strategy") == "insert-only":
            new_keys = f"SELECT * FROM {kept} AS new WHERE NOT EXISTS (SELECT 1 FROM {table} AS old WHERE {matches})"
            connection.execute(f"INSERT INTO {table} BY NAME {new_keys}")
        elif entry["write_disposition"] == "merge" and key:
            connection.execute(
                f"DELETE FROM {table} AS old WHERE EXISTS (SELECT 1 FROM {source} AS new WHERE {matches})"
            )
            connection.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {_latest_per_key(kept, key, entry)}")
        else:
            connection.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {kept}")
    finally:
        connection.unregister(LAKE_ROWS)


def _latest_per_key(rows: str, key: list[str], entry: dict[str, Any]) -> str:
    """One row per key, the first by the table's dedup sort (rows written from the warehouse already are)."""
    sort = entry.get("dedup_sort")
    if not sort:
        return f"(SELECT * FROM {rows})"
    order = ", ".join(f"{quote(name)} {direction.upper()}" for name, direction in sort.items())
    partition = ", ".join(quote(name) for name in key)
    return f"(SELECT * FROM {rows} QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY {order}) = 1)"


def _add_columns(
    connection: duckdb.DuckDBPyConnection, table: str, existing: dict[str, str], columns: dict[str, str]
) -> None:
    """Columns the load has and the table lacks added; a column whose type the load widened, widened."""
    for name, data_type in columns.items():
        if name not in existing:
            connection.execute(f"ALTER TABLE {table} ADD COLUMN {quote(name)} {data_type}")
        elif existing[name] != data_type:
            connection.execute(f"ALTER TABLE {table} ALTER COLUMN {quote(name)} TYPE {data_type}")


def _read_files(lake: Lake, files: list[str]) -> pa.Table:
    tables = []
    for path in files:
        with lake_access(lake), lake.fs.open(lake.path(path), "rb") as file:
            tables.append(pq.read_table(file))
    return pa.concat_tables(tables, promote_options="default") if len(tables) > 1 else tables[0]


def _table_columns(connection: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    try:
        rows = connection.execute(f"DESCRIBE {table}").fetchall()
    except duckdb.CatalogException:
        return {}
    return {row[0]: row[1] for row in rows}


def _count(connection: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(connection.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
