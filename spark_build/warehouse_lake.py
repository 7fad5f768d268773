"""A lake written from a DuckDB warehouse, for the Spark tests and benchmarks while the loaders do not write one:
the warehouse's raw tables in the lake's layout (docs/spark.md), one load per call. The first load appends every
row; a later one replaces each table with its current rows, so replaying the loads in order gives the warehouse's
raw tables as they are now. Runs in .venv (DuckDB), not in .venv-spark."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb


def export_warehouse_raw(warehouse: Path, lake: Path) -> str:
    """Write every raw_* table of `warehouse` (dlt's own _dlt_* tables excepted) to `lake` as one new load per
    dataset; returns the load id."""
    now = datetime.now(UTC)
    load_id = f"{now.timestamp():.6f}"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        datasets = connection.execute(
            "select distinct table_schema from information_schema.tables"
            " where table_schema like 'raw\\_%' escape '\\' order by 1"
        ).fetchall()
        # dlt's <dataset>_staging schemas hold merge batches, not tables of the warehouse
        for (dataset,) in (row for row in datasets if not row[0].endswith("_staging")):
            tables = [
                name
                for (name,) in connection.execute(
                    "select table_name from information_schema.tables where table_schema = ? order by 1",
                    [dataset],
                ).fetchall()
                if not name.startswith("_dlt_")
            ]
            manifests = lake / dataset / "_manifests"
            is_first_load = not manifests.exists()
            entries = {}
            for table in tables:
                relative = f"{table}/load_date={now.date().isoformat()}/{load_id}.parquet"
                target = lake / dataset / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                connection.execute(f"copy {dataset}.\"{table}\" to '{target}' (format parquet)")
                (rows,) = connection.execute(f'select count(*) from {dataset}."{table}"').fetchone()
                entries[table] = {
                    "rows": rows,
                    "files": [relative],
                    "write_disposition": "append" if is_first_load else "replace",
                    "merge_strategy": None,
                    "primary_key": [],
                    "hard_delete_column": None,
                    "dedup_sort": None,
                }
            manifests.mkdir(parents=True, exist_ok=True)
            manifest = {
                "load_id": load_id,
                "dataset": dataset,
                "loaded_at": now.isoformat(),
                "source": "mysql" if dataset == "raw_classicmodels" else "kinesis",
                "positions": {},
                "tables": entries,
            }
            (manifests / f"{load_id}.json").write_text(json.dumps(manifest, indent=2))
    return load_id
