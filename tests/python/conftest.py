"""Shared fixtures: the local services (started by `make services-up`) and throwaway databases/warehouses."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from load.local_services import REPO_ROOT, mysql_url
from local_mysql import private_database


@pytest.fixture
def mysql_database() -> Iterator[str]:
    """A fresh, empty MariaDB database the loader user may read; dropped afterwards."""
    with private_database("cm_test") as name:
        yield name


@pytest.fixture
def admin_url(mysql_database: str) -> str:
    return mysql_url("MARIADB_ADMIN_USER", "MARIADB_ADMIN_PASSWORD", mysql_database)


@pytest.fixture
def loader_url(mysql_database: str) -> str:
    return mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD", mysql_database)


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private warehouse file for the test, exported as WAREHOUSE_PATH."""
    path = tmp_path / "warehouse" / "test.duckdb"
    monkeypatch.setenv("WAREHOUSE_PATH", str(path))
    return path


@pytest.fixture(autouse=True)
def _run_from_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """dlt reads .dlt/ from the working directory; dbt reads profiles.yml from here."""
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    os.environ.setdefault("DBT_PROFILES_DIR", str(REPO_ROOT))
