"""A run keeps dlt's local working state only when it is exactly what the warehouse committed (real dlt, DuckDB)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dlt
import duckdb
import pytest
from dlt.extract.source import DltSource

from load.committed_state import local_state_is_committed
from load.config import pipeline_name
from load.runner import SourceJob, make_pipeline, run_job, warehouse_credentials


@dlt.source(name="counter")
def counter(start: int) -> Any:
    @dlt.resource(name="ticks", write_disposition="append")
    def ticks() -> Iterator[dict[str, int]]:
        dlt.current.source_state()["next"] = start + 1
        yield {"value": start}

    return ticks()


def _build(state: dict[str, Any]) -> DltSource:
    return counter(start=state.get("next", 0))


JOB = SourceJob(name="counter", dataset="raw_counter", identity=lambda: "counter:test", build=_build)


def _loaded_values(warehouse: Path) -> list[int]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return [row[0] for row in connection.execute("SELECT value FROM raw_counter.ticks ORDER BY value").fetchall()]


def _committed(warehouse: Path) -> bool:
    """The check on the local folder as it is (make_pipeline would already act on it)."""
    pipeline = dlt.pipeline(
        pipeline_name=pipeline_name(JOB.name, JOB.identity()),
        pipelines_dir=str(warehouse.parent / ".dlt_pipelines"),
        destination=dlt.destinations.duckdb(warehouse_credentials(warehouse)),
        dataset_name=JOB.dataset,
    )
    return local_state_is_committed(pipeline, warehouse)


def test_runs_keep_the_local_state_the_warehouse_committed(warehouse: Path) -> None:
    assert not _committed(warehouse)  # no warehouse yet
    run_job(JOB)
    assert _committed(warehouse)
    run_job(JOB)
    assert _committed(warehouse)
    assert _loaded_values(warehouse) == [0, 1]
    loaded_packages = Path(make_pipeline(JOB, warehouse).working_dir) / "load" / "loaded"
    assert not any(loaded_packages.iterdir())  # earlier runs' packages do not pile up


def test_a_deleted_warehouse_gets_a_full_load_again(warehouse: Path) -> None:
    run_job(JOB)
    run_job(JOB)
    warehouse.unlink()
    assert not _committed(warehouse)
    run_job(JOB)
    assert _loaded_values(warehouse) == [0]


def test_a_warehouse_restored_from_a_backup_resumes_from_its_own_state(warehouse: Path, tmp_path: Path) -> None:
    run_job(JOB)
    backup = tmp_path / "backup.duckdb"
    shutil.copy(warehouse, backup)
    run_job(JOB)
    shutil.copy(backup, warehouse)
    assert not _committed(warehouse)
    run_job(JOB)
    assert _loaded_values(warehouse) == [0, 1]


@pytest.mark.parametrize("folder", ["normalize/a1b2c3d4/new/123.456", "load/normalized/123.456"])
def test_a_package_left_by_a_killed_run_means_restoring_from_the_warehouse(warehouse: Path, folder: str) -> None:
    run_job(JOB)
    working_dir = Path(make_pipeline(JOB, warehouse).working_dir)
    leftover = working_dir / folder / "ticks.parquet"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half written")
    assert not _committed(warehouse)
    run_job(JOB)  # drops the leftover, restores the committed state and loads on from it
    assert not leftover.exists()
    assert _loaded_values(warehouse) == [0, 1]
