"""Every query of analyses/ runs on the published marts file, as the README tells analysts (`make sql`)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from demo_run import Demo

from load.analysis import compiled_sql, published_marts
from load.local_services import REPO_ROOT

pytestmark = pytest.mark.integration

ANALYSES = sorted(path.relative_to(REPO_ROOT) for path in (REPO_ROOT / "analyses").rglob("*.sql"))


def test_every_analysis_runs_on_the_published_file(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBT_TARGET_PATH", demo.env["DBT_TARGET_PATH"])
    queries = compiled_sql(ANALYSES)
    assert len(queries) == len(ANALYSES) >= 20
    with published_marts(demo.marts) as connection:
        for file, sql in queries.items():
            rows = connection.sql(sql).fetchall()
            assert rows, f"{file} returned no rows on the published marts"


def test_make_sql_prints_the_result(demo: Demo) -> None:
    result = demo.run("make", "--no-print-directory", "sql", "FILE=analyses/time_to_ship.sql")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "average_days_to_ship" in result.stdout


def test_the_duckdb_cli_reads_the_published_file(demo: Demo) -> None:
    cli = REPO_ROOT / ".venv" / "bin" / "duckdb"
    query = "select count(*) > 0 from marts.fct_orders"
    result = subprocess.run([str(cli), "-readonly", "-csv", str(demo.marts), query], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "true"


def test_a_file_that_is_not_an_analysis_is_one_line_and_exit_2(demo: Demo) -> None:
    result = demo.run(sys.executable, "-m", "load.analysis", "README.md")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error: not an analysis")
