"""Shared fixtures: the local services (started by `make services-up`) and throwaway databases/warehouses."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pymysql
import pytest

from load.local_services import REPO_ROOT, local_credentials, mysql_url, setting


def _admin_connection(database: str | None = None) -> pymysql.connections.Connection:
    return pymysql.connect(
        host=setting("MARIADB_HOST"),
        port=int(setting("MARIADB_PORT")),
        user=setting("MARIADB_ADMIN_USER"),
        password=local_credentials()["MARIADB_ADMIN_PASSWORD"],
        database=database,
        autocommit=True,
    )


@pytest.fixture
def mysql_database() -> Iterator[str]:
    """A fresh, empty MariaDB database the loader user may read; dropped afterwards."""
    name = f"cm_test_{uuid.uuid4().hex[:10]}"
    loader = f"'{setting('MARIADB_LOADER_USER')}'@'{setting('MARIADB_HOST')}'"
    with _admin_connection() as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        cursor.execute(f"GRANT SELECT ON `{name}`.* TO {loader}")
    yield name
    with _admin_connection() as connection, connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        # Dropping a database keeps its grants: revoke them so the loader account does not collect stale ones.
        cursor.execute(f"REVOKE ALL PRIVILEGES ON `{name}`.* FROM {loader}")


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
