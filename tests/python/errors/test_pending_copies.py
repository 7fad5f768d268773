"""Pending whole-table copies: published with the load that committed them, dropped otherwise (a run killed
between dlt's commit and the publishing rename is settled by the next run)."""

from __future__ import annotations

from pathlib import Path

import dlt
import duckdb

from load import pending_copies
from load.pending_copies import pending_name, settle_pending_copies

DATASET = "raw_test"


def settled_twice(tmp_path: Path, warehouse: Path) -> tuple[list[str], list[str]]:
    """What settling published, after checking a second settling publishes nothing; the dataset's tables then."""
    pipeline = dlt.pipeline(
        pipeline_name="pending_copies_test",
        pipelines_dir=str(tmp_path / "pipelines"),
        destination=dlt.destinations.duckdb(str(warehouse)),
        dataset_name=DATASET,
    )
    with pipeline.sql_client() as client:
        published = settle_pending_copies(client)
        assert settle_pending_copies(client) == []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [DATASET]
        ).fetchall()
    return published, [name for (name,) in tables]


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
    assert settled_twice(tmp_path, warehouse) == (["new_table", "orders"], ["_dlt_loads", "new_table", "orders"])
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert connection.execute(f"select * from {DATASET}.orders").fetchall() == [(2, None)]  # column kept


def test_rows_a_copy_logs_are_appended_when_its_load_commits_and_dropped_otherwise(tmp_path: Path) -> None:
    """The deletes a whole copy finds go to the change log only with the load that commits the copy: a run that
    failed after logging them leaves no delete that never reached raw."""
    warehouse = tmp_path / "w.duckdb"
    committed, later, failed = "1700000000.5", "1700000050.5", "1700000100.25"
    rows = pending_copies.ROWS_KIND
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(f"create schema {DATASET}")
        connection.execute(
            f"create table {DATASET}._dlt_loads as select * from (values ('{committed}', 0), ('{later}', 0)) "
            "as loads(load_id, status)"
        )
        connection.execute(f"create table {DATASET}._changes as select 'binlog' as stream_id, 1 as row_index")
        for load_id, index in ((later, 3), (committed, 2), (failed, 4)):
            connection.execute(
                f'create table {DATASET}."{pending_name("_changes", load_id, rows)}" as '
                f"select {index} as row_index, 'snapshot' as stream_id"
            )
    assert settled_twice(tmp_path, warehouse) == (["_changes"], ["_changes", "_dlt_loads"])
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        logged = connection.execute(f"select stream_id, row_index from {DATASET}._changes order by rowid").fetchall()
        assert logged == [("binlog", 1), ("snapshot", 2), ("snapshot", 3)]  # in load order, the failed load's gone
