"""Pending whole-table copies: published with the load that committed them, dropped otherwise (a run killed
between dlt's commit and the publishing rename is settled by the next run)."""

from __future__ import annotations

from pathlib import Path

import dlt
import duckdb

from load.pending_copies import pending_name, settle_pending_copies

DATASET = "raw_test"


def test_committed_copies_replace_their_tables_and_uncommitted_ones_vanish(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    committed, failed = "1700000000.5", "1700000100.25"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(f"create schema {DATASET}")
        connection.execute(f"create table {DATASET}._dlt_loads as select '{committed}' as load_id, 0 as status")
        connection.execute(f"create table {DATASET}.orders as select 1 as version, 'old' as dropped_at_source")
        connection.execute(f'create table {DATASET}."{pending_name("orders", committed)}" as select 2 as version')
        connection.execute(f'create table {DATASET}."{pending_name("new_table", committed)}" as select 2 as version')
        connection.execute(f'create table {DATASET}."{pending_name("orders", failed)}" as select 3 as version')
        connection.execute(f'create table {DATASET}."{pending_name("customers", failed)}" as select 3 as version')
    pipeline = dlt.pipeline(
        pipeline_name="pending_copies_test",
        pipelines_dir=str(tmp_path / "pipelines"),
        destination=dlt.destinations.duckdb(str(warehouse)),
        dataset_name=DATASET,
    )
    with pipeline.sql_client() as client:
        assert settle_pending_copies(client) == ["new_table", "orders"]
        assert settle_pending_copies(client) == []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [DATASET]
        ).fetchall()
        assert tables == [("_dlt_loads",), ("new_table",), ("orders",)]
        assert connection.execute(f"select * from {DATASET}.orders").fetchall() == [(2, None)]  # column kept
