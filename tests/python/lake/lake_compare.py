"""Compare a warehouse's raw tables with a DuckDB file rebuilt from the lake, and the lake with `_dlt_loads`."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

RAW_DATASETS = ("raw_classicmodels", "raw_email")


def raw_tables(connection: duckdb.DuckDBPyConnection, catalog: str) -> set[tuple[str, str]]:
    rows = connection.execute(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_catalog = ?"
        " AND list_contains(?, table_schema) AND NOT starts_with(table_name, '_dlt_')",
        [catalog, list(RAW_DATASETS)],
    ).fetchall()
    return set(rows)


def differences(warehouse: Path, rebuilt: Path) -> dict[str, tuple[int, int]]:
    """Per raw table: (rows only live, rows only rebuilt), compared row for row (EXCEPT ALL) by column name;
    tables equal on both sides are left out. A table missing on one side counts all its rows."""
    found = {}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        connection.execute(f"ATTACH '{rebuilt}' AS rebuilt (READ_ONLY)")
        catalog = connection.execute("SELECT current_database()").fetchall()[0][0]
        live, copied = raw_tables(connection, catalog), raw_tables(connection, "rebuilt")
        for dataset, table in sorted(live | copied):
            name = f'"{dataset}"."{table}"'
            if (dataset, table) not in copied or (dataset, table) not in live:
                found[name] = (-1, -1)
                continue
            columns = [row[0] for row in connection.execute(f"DESCRIBE {name}").fetchall()]
            select = ", ".join(f'"{column}"::VARCHAR' for column in columns)
            only_live, only_rebuilt = connection.execute(
                f"SELECT (SELECT count(*) FROM (SELECT {select} FROM {name} EXCEPT ALL"
                f" SELECT {select} FROM rebuilt.{name})),"
                f" (SELECT count(*) FROM (SELECT {select} FROM rebuilt.{name} EXCEPT ALL SELECT {select} FROM {name}))"
            ).fetchall()[0]
            if only_live or only_rebuilt:
                found[name] = (only_live, only_rebuilt)
    return found


def manifests(lake: Path, dataset: str) -> list[dict]:
    folder = lake / dataset / "_manifests"
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))] if folder.exists() else []


def committed_loads(warehouse: Path, dataset: str) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return [
            row[0]
            for row in connection.execute(
                f'SELECT load_id FROM "{dataset}"._dlt_loads WHERE status = 0 ORDER BY load_id'
            ).fetchall()
        ]


def assert_lake_matches_warehouse(lake: Path, warehouse: Path, dataset: str) -> None:
    """Manifests are exactly the committed loads, every data file a manifest lists exists with its row count, and
    no data file is outside a manifest (a load in the lake twice, or half of one)."""
    import pyarrow.parquet as pq

    found = manifests(lake, dataset)
    assert sorted(m["load_id"] for m in found) == committed_loads(warehouse, dataset)
    listed = set()
    for manifest in found:
        for table, entry in manifest["tables"].items():
            rows = sum(pq.read_metadata(lake / path).num_rows for path in entry["files"])
            assert rows == entry["rows"], (manifest["load_id"], table)
            listed.update(entry["files"])
    on_disk = {str(path.relative_to(lake)) for path in (lake / dataset).rglob("*") if path.is_file()} - {
        str(path.relative_to(lake)) for path in (lake / dataset / "_manifests").glob("*.json")
    }
    assert on_disk == listed
