"""Environment and subprocess helpers for end-to-end tests that load and build a private warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from load.local_services import REPO_ROOT, setting

DBT = str(Path(sys.executable).with_name("dbt"))


def isolated_env(workdir: Path, **settings: str) -> dict[str, str]:
    """This process's environment with the warehouse, dbt target and logs in workdir, telemetry off, and the
    given settings (e.g. SOURCES__MYSQL__CREDENTIALS) added."""
    return {
        **os.environ,
        "WAREHOUSE_PATH": str(workdir / "w.duckdb"),
        "DBT_TARGET_PATH": str(workdir / "target"),
        "DBT_LOG_PATH": str(workdir / "logs"),
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "RUNTIME__DLTHUB_TELEMETRY": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        **settings,
    }


def run_checked(command: list[str], env: dict[str, str], timeout: float = 600) -> None:
    """Run a command; fail the test with the end of its output when it fails."""
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]


@contextmanager
def private_database(prefix: str) -> Iterator[str]:
    """A new, empty MariaDB database the loader user may read, for a whole test module; dropped afterwards."""
    from conftest import _admin_connection  # the admin connection of the shared fixtures

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    loader = f"'{setting('MARIADB_LOADER_USER')}'@'{setting('MARIADB_HOST')}'"
    with _admin_connection() as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        cursor.execute(f"GRANT SELECT ON `{name}`.* TO {loader}")
    try:
        yield name
    finally:
        with _admin_connection() as connection, connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            # Dropping a database keeps its grants: revoke them so the loader account does not collect stale ones.
            cursor.execute(f"REVOKE ALL PRIVILEGES ON `{name}`.* FROM {loader}")
