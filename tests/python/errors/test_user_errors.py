"""User mistakes of configuration, against the real local servers: exit 2 and one line naming the fix."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest
from one_line import one_error_line, run_load

from load.local_services import REPO_ROOT, mysql_url


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(warehouse: Path, **settings: str) -> dict[str, str]:
    return {**os.environ, "WAREHOUSE_PATH": str(warehouse), **settings}


@pytest.mark.parametrize("source", ["mysql", "kinesis"])
@pytest.mark.parametrize("where", ["under_a_file", "in_proc", "a_folder"])
def test_an_unwritable_warehouse_path_names_the_setting(source: str, where: str, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    paths = {
        "under_a_file": blocker / "w.duckdb",
        "in_proc": Path("/proc/no-such-process/w.duckdb"),
        "a_folder": tmp_path,
    }
    line = one_error_line(run_load(source, _env(paths[where])))
    assert "WAREHOUSE_PATH" in line and str(paths[where]) in line


def test_a_missing_database_says_it_does_not_exist(mysql_database: str, tmp_path: Path) -> None:
    wrong = mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD", mysql_database + "_typo")
    line = one_error_line(run_load("mysql", _env(tmp_path / "w.duckdb", SOURCES__MYSQL__CREDENTIALS=wrong)))
    assert f"database '{mysql_database}_typo' does not exist" in line
    assert mysql_database in line.split("databases it can read:")[1]  # the right name is offered
    assert "SOURCES__MYSQL__CREDENTIALS" in line


def test_an_unreachable_mysql_server_says_so(tmp_path: Path) -> None:
    url = mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD", "classicmodels")
    host_port = url.split("@", 1)[1].split("/", 1)[0]
    unreachable = url.replace(host_port, f"127.0.0.1:{_free_port()}")
    line = one_error_line(run_load("mysql", _env(tmp_path / "w.duckdb", SOURCES__MYSQL__CREDENTIALS=unreachable)))
    assert "cannot reach MySQL" in line and "SOURCES__MYSQL__CREDENTIALS" in line


def test_a_missing_stream_names_the_setting_and_endpoint(tmp_path: Path) -> None:
    env = _env(tmp_path / "w.duckdb", SOURCES__KINESIS__STREAM_NAME="no-such-stream-here")
    line = one_error_line(run_load("kinesis", env))
    assert "'no-such-stream-here' does not exist on http://127.0.0.1:" in line
    assert "SOURCES__KINESIS__STREAM_NAME" in line and "create it" not in line


def test_an_unreachable_kinesis_endpoint_says_so(tmp_path: Path) -> None:
    endpoint = f"http://127.0.0.1:{_free_port()}"
    env = _env(tmp_path / "w.duckdb", SOURCES__KINESIS__CREDENTIALS__ENDPOINT_URL=endpoint)
    line = one_error_line(run_load("kinesis", env))
    assert f"cannot reach Kinesis at {endpoint}" in line


@pytest.mark.parametrize("command", ["loader", "build"])
def test_a_warehouse_path_that_is_not_a_duckdb_file_names_the_setting(command: str, tmp_path: Path) -> None:
    warehouse = tmp_path / "notes.duckdb"
    warehouse.write_text("not a database")
    env = _env(warehouse, DBT_TARGET_PATH=str(tmp_path / "target"), DBT_LOG_PATH=str(tmp_path / "logs"))
    if command == "loader":
        result = run_load("kinesis", env)
    else:
        result = subprocess.run(
            [str(REPO_ROOT / "scripts/build.sh")], env=env, capture_output=True, text=True, timeout=300
        )
    line = one_error_line(result)
    assert f"WAREHOUSE_PATH {warehouse} is not a DuckDB database" in line
    assert warehouse.read_text() == "not a database"
