"""A CDC run with nothing to load ends without importing dlt (load/mysql/unchanged.py), and only when the warehouse,
the settings and the binlog are exactly as the last run left them: against real MariaDB and a real warehouse."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from demo.classicmodels import create_demo, day_tick
from load.mysql.strategy import TABLES
from loader_process import loader_env
from source_compare import assert_table_equal


def run_cdc(url: str, warehouse: Path, settings: dict[str, str] | None = None) -> tuple[str, bool]:
    """The run's stdout, and whether it imported dlt."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "load", "run", "mysql"],
        env=loader_env(url, warehouse, "cdc", settings),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout, re.search(r"\|\s+dlt$", result.stderr, re.MULTILINE) is not None


def test_no_change_skips_dlt_until_anything_differs(admin_url: str, loader_url: str, warehouse: Path) -> None:
    create_demo(admin_url, scale=0.05, seed=3)
    output, used_dlt = run_cdc(loader_url, warehouse)
    assert used_dlt and "no new rows" not in output  # a new warehouse: the full job copies every table
    output, used_dlt = run_cdc(loader_url, warehouse)
    assert "no new rows" in output and not used_dlt

    # Other settings: dlt decides again (and finds nothing either).
    output, used_dlt = run_cdc(loader_url, warehouse, {"SOURCES__MYSQL__LAG_DAYS": "5"})
    assert "no new rows" in output and used_dlt

    before_tick = warehouse.with_name("before_tick.duckdb")
    shutil.copy(warehouse, before_tick)
    day_tick(admin_url, seed=4)
    output, used_dlt = run_cdc(loader_url, warehouse)
    assert used_dlt and "no new rows" not in output
    output, used_dlt = run_cdc(loader_url, warehouse)
    assert "no new rows" in output and not used_dlt

    # The warehouse restored from before the tick: its committed state is older, so the full job streams again.
    shutil.copy(before_tick, warehouse)
    output, used_dlt = run_cdc(loader_url, warehouse)
    assert used_dlt and "no new rows" not in output
    for table in TABLES:
        assert_table_equal(warehouse, loader_url, table)

    # A deleted warehouse gets a full load.
    warehouse.unlink()
    output, used_dlt = run_cdc(loader_url, warehouse)
    assert used_dlt and "no new rows" not in output
    for table in TABLES:
        assert_table_equal(warehouse, loader_url, table)
