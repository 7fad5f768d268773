"""load.publish and scripts/build.sh without the services: what is copied, and that a failure publishes nothing."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import duckdb
import pytest

from load.local_services import REPO_ROOT
from load.publish import PublishError, publish


def make_warehouse(path: Path, rows: int, with_marts: bool = True) -> Path:
    """A warehouse with a staging table and, in schema marts, a table and a view over staging."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as connection:
        connection.execute(f"create schema staging; create table staging.s as select range as i from range({rows})")
        if with_marts:
            connection.execute("create schema marts; create table marts.fct as select i from staging.s")
            # dbt-duckdb writes views with the catalog (the file's stem) in every name.
            connection.execute(f"create view marts.v as select i * 2 as j from {path.stem}.staging.s")
    return path


def snapshot(path: Path) -> tuple[int, int, bytes]:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns, path.read_bytes()


def run_publish(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m load.publish` as a user runs it."""
    return subprocess.run(
        [str(REPO_ROOT / ".venv/bin/python"), "-m", "load.publish"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_publish_copies_every_mart_into_a_read_only_file(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path / "wh" / "dw.duckdb", rows=5)
    marts = tmp_path / "published" / "marts.duckdb"

    publication = publish(warehouse, marts)

    assert publication.row_counts == {"fct": 5, "v": 5}
    assert stat.S_IMODE(marts.stat().st_mode) & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0
    assert sorted(marts.parent.iterdir()) == [marts], "temp files left beside the published file"
    with duckdb.connect(str(marts), read_only=True) as connection:
        # The marts are in `main`, so `marts.<table>` names them as it does in the warehouse.
        assert connection.execute("select sum(j) from marts.v").fetchone() == (20,)
        assert connection.execute("select count(*) from fct").fetchone() == (5,)
        recorded = connection.execute("select table_name, row_count from meta.publication order by 1").fetchall()
        assert recorded == [("fct", 5), ("v", 5)]


def test_nothing_to_publish_leaves_the_published_file_alone(tmp_path: Path) -> None:
    marts = tmp_path / "published" / "marts.duckdb"
    publish(make_warehouse(tmp_path / "good" / "dw.duckdb", rows=3), marts)
    before = snapshot(marts)

    with pytest.raises(PublishError, match="has no tables"):
        publish(make_warehouse(tmp_path / "bad" / "dw.duckdb", rows=3, with_marts=False), marts)
    with pytest.raises(PublishError, match="no warehouse"):
        publish(tmp_path / "missing.duckdb", marts)

    assert snapshot(marts) == before
    assert sorted(marts.parent.iterdir()) == [marts]


def test_failed_build_publishes_nothing(tmp_path: Path) -> None:
    """scripts/build.sh (what `make demo` runs) on a warehouse without raw data: dbt build fails, no publish."""
    marts = tmp_path / "published" / "marts.duckdb"
    publish(make_warehouse(tmp_path / "previous" / "dw.duckdb", rows=3), marts)
    before = snapshot(marts)
    empty = tmp_path / "empty" / "warehouse.duckdb"
    empty.parent.mkdir()
    env = {
        **os.environ,
        "WAREHOUSE_PATH": str(empty),
        "MARTS_PATH": str(marts),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }

    result = subprocess.run(["scripts/build.sh"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)

    assert result.returncode != 0, result.stdout[-2000:]
    assert "ERROR" in result.stdout
    assert "published" not in result.stdout
    assert snapshot(marts) == before
    assert sorted(marts.parent.iterdir()) == [marts]


def test_published_file_is_readable_by_duckdb_1_4_clients(tmp_path: Path) -> None:
    """Analysts' CLIs and BI drivers lag the warehouse's DuckDB: the file header's storage version must be one
    DuckDB 1.4 reads (64 to 67), not the newest format."""
    marts = tmp_path / "marts.duckdb"
    publish(make_warehouse(tmp_path / "dw.duckdb", rows=3), marts)
    header = marts.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    assert 64 <= int.from_bytes(header[12:20], "little") <= 67


def test_relations_no_dbt_model_builds_are_left_out_and_named(tmp_path: Path) -> None:
    """dbt never drops the table of a model since removed or renamed: the publication copies the models the last
    dbt command's manifest names in schema marts, and names what it left out."""
    warehouse = make_warehouse(tmp_path / "wh" / "dw.duckdb", rows=4)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create table marts.fct_removed_last_month as select 1 as i")
    manifest = tmp_path / "target" / "manifest.json"
    manifest.parent.mkdir()
    node = {"resource_type": "model", "schema": "marts", "config": {"materialized": "table"}}
    nodes = {
        "model.p.fct": {**node, "name": "fct", "alias": "fct"},
        "model.p.v": {**node, "name": "v", "alias": "v", "config": {"materialized": "view"}},
        "model.p.ephemeral": {**node, "name": "helper", "alias": "helper", "config": {"materialized": "ephemeral"}},
        "model.p.staged": {**node, "name": "s", "alias": "s", "schema": "staging"},
        "test.p.not_null": {**node, "resource_type": "test", "name": "fct_removed_last_month", "alias": "x"},
    }
    manifest.write_text(json.dumps({"nodes": nodes}))
    marts = tmp_path / "published" / "marts.duckdb"
    env = {
        **os.environ,
        "WAREHOUSE_PATH": str(warehouse),
        "MARTS_PATH": str(marts),
        "DBT_TARGET_PATH": str(manifest.parent),
    }

    result = run_publish(env)

    assert result.returncode == 0, result.stderr
    assert "published 2 tables (8 rows)" in result.stdout
    assert "left out, no dbt model builds them (drop them if unused): fct_removed_last_month" in result.stdout
    with duckdb.connect(str(marts), read_only=True) as connection:
        assert connection.execute("select table_name from meta.publication order by 1").fetchall() == [("fct",), ("v",)]
    # Given no models (no manifest), every relation of schema marts is published.
    assert publish(warehouse, marts).row_counts == {"fct": 4, "fct_removed_last_month": 1, "v": 4}


@pytest.mark.parametrize("unwritable", ["/dev/null/marts.duckdb", "folder"])
def test_unwritable_marts_path_is_one_line_naming_it(tmp_path: Path, unwritable: str) -> None:
    """A MARTS_PATH under a file, or naming a folder: exit 2 and one line naming MARTS_PATH, no traceback."""
    warehouse = make_warehouse(tmp_path / "wh" / "dw.duckdb", rows=3)
    destination = tmp_path if unwritable == "folder" else Path(unwritable)
    env = {
        **os.environ,
        "WAREHOUSE_PATH": str(warehouse),
        "MARTS_PATH": str(destination),
        "DBT_TARGET_PATH": str(tmp_path / "no_target"),
    }

    result = run_publish(env)

    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "MARTS_PATH" in result.stderr and "Traceback" not in result.stderr
