"""`dlt pipeline [SOURCE] run` (load/dlt_cli.py) loads what `python -m load run [SOURCE]` loads, on the real servers."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from isolated_run import isolated_env
from load.__main__ import parse_args
from load.dlt_cli import loader_argv
from load.local_services import REPO_ROOT
from load.registry import SOURCES

pytestmark = pytest.mark.integration

DLT = str(Path(sys.executable).with_name("dlt"))
RAW_SCHEMAS = ("raw_classicmodels", "raw_email")


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)


def raw_row_counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_schema in ? and table_name not like '\\_dlt%' escape '\\'",
            [list(RAW_SCHEMAS)],
        ).fetchall()
        return {
            f"{schema}.{table}": connection.execute(f'select count(*) from {schema}."{table}"').fetchone()[0]
            for schema, table in tables
        }


def test_help_lists_run() -> None:
    result = run([DLT, "pipeline", "--help"], isolated_env(Path("/nonexistent")))
    assert result.returncode == 0, result.stderr
    assert "run" in result.stdout.split("Available Subcommands")[1]


@pytest.mark.parametrize(
    ("name", "follow", "resnapshot", "expected"),
    [
        (None, None, False, ["run"]),
        ("mysql", None, True, ["run", "mysql", "--resnapshot"]),
        ("kinesis", 30.0, False, ["run", "kinesis", "--follow", "30.0"]),
    ],
)
def test_options_pass_through(name: str | None, follow: float | None, resnapshot: bool, expected: list[str]) -> None:
    args = argparse.Namespace(pipeline_name=name, follow=follow, resnapshot=resnapshot)
    assert loader_argv(args) == expected
    parsed = parse_args(loader_argv(args))
    assert (parsed.sources, parsed.follow, parsed.resnapshot) == ([name] if name else [], follow, resnapshot)


def test_unknown_source_exits_2_listing_sources(tmp_path: Path) -> None:
    result = run([DLT, "pipeline", "nosuch", "run"], isolated_env(tmp_path))
    assert result.returncode == 2
    assert f"choose from {', '.join(SOURCES)}" in result.stderr


def test_dlt_pipeline_run_loads_what_python_m_load_run_loads(source_settings: dict[str, str], tmp_path: Path) -> None:
    by_dlt, by_load = tmp_path / "dlt", tmp_path / "load"
    dlt_env, load_env = isolated_env(by_dlt, **source_settings), isolated_env(by_load, **source_settings)

    for source in SOURCES:  # dlt's word order: the name first
        result = run([DLT, "pipeline", source, "run"], dlt_env)
        assert result.returncode == 0, result.stderr[-3000:]
        assert f"{source}: loaded into" in result.stdout
    result = run([sys.executable, "-m", "load", "run"], load_env)
    assert result.returncode == 0, result.stderr[-3000:]

    counts = raw_row_counts(by_dlt / "w.duckdb")
    assert counts == raw_row_counts(by_load / "w.duckdb")
    assert counts["raw_classicmodels.orderdetails"] > 0
    assert counts["raw_email.email_events"] > 0

    # Every source, then the options: a resnapshot copies the tables again and keeps the same rows.
    for command in ([DLT, "pipeline", "run"], [DLT, "pipeline", "mysql", "run", "--resnapshot"]):
        result = run(command, dlt_env)
        assert result.returncode == 0, result.stderr[-3000:]
    assert raw_row_counts(by_dlt / "w.duckdb") == counts

    # The other `dlt pipeline` commands still work, here on the loader's own pipeline.
    pipelines = by_dlt / ".dlt_pipelines"
    name = next(path.name for path in pipelines.iterdir() if path.name.startswith("mysql_"))
    result = run([DLT, "pipeline", "--pipelines-dir", str(pipelines), name, "info"], dlt_env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "raw_classicmodels" in result.stdout


def test_follow_keeps_loading(source_settings: dict[str, str], tmp_path: Path) -> None:
    """`--follow` loads again and again until interrupted (a timeout stands in for Ctrl-C)."""
    process = subprocess.Popen(
        [DLT, "pipeline", "kinesis", "run", "--follow", "0.5"],
        cwd=REPO_ROOT,
        env=isolated_env(tmp_path, **source_settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    loads = 0
    try:
        assert process.stdout is not None
        for line in process.stdout:
            loads += line.startswith("kinesis: loaded into")
            if loads == 2:
                break
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert loads == 2
