"""One writer per warehouse: a second loader or `dbt build` waits (bounded) or refuses in one line, never
damaging the first; a warehouse held open by another process is one line, for the loader and for the build."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import duckdb
import pytest
from one_line import one_error_line, run_load

from demo.classicmodels import create_demo
from isolated_run import DBT, isolated_env
from load.local_services import REPO_ROOT
from load.mysql.strategy import TABLES
from load.warehouse_access import exclusive_writer
from loader_process import loader_env
from source_compare import assert_table_equal


@pytest.fixture
def demo_source(admin_url: str, loader_url: str) -> str:
    create_demo(admin_url, scale=1, seed=3)
    return loader_url


def _held_for(warehouse: Path, seconds: float) -> threading.Thread:
    """Hold the warehouse's writer lock in this process for `seconds`, as a running loader would."""
    holding = threading.Event()

    def hold() -> None:
        with exclusive_writer(warehouse, "test holder"):
            holding.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    return thread


def test_a_second_loader_waits_for_the_writer_then_loads(demo_source: str, warehouse: Path) -> None:
    holder = _held_for(warehouse, 10)
    result = run_load("mysql", loader_env(demo_source, warehouse, "cursor", {"WAREHOUSE_LOCK_WAIT_SECONDS": "60"}))
    holder.join()
    assert result.returncode == 0, result.stderr[-3000:]
    assert "waiting up to 60s for test holder" in result.stderr
    for table in TABLES:
        assert_table_equal(warehouse, demo_source, table)


def test_a_second_loader_refuses_after_the_wait(demo_source: str, warehouse: Path) -> None:
    holder = _held_for(warehouse, 10)
    env = loader_env(demo_source, warehouse, "cursor", {"WAREHOUSE_LOCK_WAIT_SECONDS": "1"})
    line = one_error_line(run_load("kinesis", env))
    holder.join()
    assert "another writer (test holder" in line and "WAREHOUSE_LOCK_WAIT_SECONDS" in line
    assert not (warehouse.parent / ".dlt_pipelines").exists()  # the refused loader touched nothing


def test_two_loaders_started_together_both_load_exactly(demo_source: str, warehouse: Path) -> None:
    env = loader_env(demo_source, warehouse, "cursor")
    command = [str(Path(REPO_ROOT) / ".venv/bin/python"), "-m", "load", "run", "mysql"]
    loaders = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(loader.wait(timeout=300), loader.stderr.read() if loader.stderr else "") for loader in loaders]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    for table in TABLES:
        assert_table_equal(warehouse, demo_source, table)


def test_a_loader_on_a_warehouse_open_elsewhere_is_one_line(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)):
        line = one_error_line(run_load("kinesis", isolated_env(tmp_path)))
    assert f"the warehouse {warehouse} is open in another process (pid" in line and "close it" in line


def _build(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(REPO_ROOT) / "scripts/build.sh")], env=env, capture_output=True, text=True, timeout=300
    )


def test_dbt_build_on_a_warehouse_open_elsewhere_is_one_line(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)):
        line = one_error_line(_build(isolated_env(tmp_path)))
    assert f"the warehouse {warehouse} is open in another process (pid" in line and "close it" in line


def test_bare_dbt_build_on_a_warehouse_open_elsewhere_is_a_short_error(tmp_path: Path) -> None:
    """dbt without scripts/build.sh: the profile's plugin (load.dbt_warehouse_check) makes the held warehouse a
    short dbt runtime error naming the fix, exit 2, instead of dbt-duckdb's traceback."""
    warehouse = tmp_path / "w.duckdb"
    command = [DBT, "build", "--select", "stg_classicmodels__customers"]
    with duckdb.connect(str(warehouse)):
        result = subprocess.run(command, env=isolated_env(tmp_path), capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert f"the warehouse {warehouse} is open in another process (pid" in output and "close it" in output
    error_lines = output[output.index("Encountered an error") :].splitlines()
    assert len(error_lines) <= 4, output[-3000:]


def test_dbt_build_beside_a_running_loader_refuses_after_the_wait(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    holder = _held_for(warehouse, 10)
    line = one_error_line(_build(isolated_env(tmp_path, WAREHOUSE_LOCK_WAIT_SECONDS="0")))
    holder.join()
    assert "another writer (test holder" in line
