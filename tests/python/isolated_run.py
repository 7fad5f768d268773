"""Environment and subprocess helpers for end-to-end tests that load and build a private warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dbt_parse_cache import seed_target

from load.local_services import REPO_ROOT

DBT = str(Path(sys.executable).with_name("dbt"))


def isolated_env(workdir: Path, **settings: str) -> dict[str, str]:
    """This process's environment with the warehouse, dbt target and logs in workdir, telemetry off, and the
    given settings (e.g. SOURCES__MYSQL__CREDENTIALS) added. The target starts with the session's parsed project."""
    env = {
        **os.environ,
        "WAREHOUSE_PATH": str(workdir / "w.duckdb"),
        "DBT_TARGET_PATH": str(workdir / "target"),
        "DBT_LOG_PATH": str(workdir / "logs"),
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "RUNTIME__DLTHUB_TELEMETRY": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        **settings,
    }
    seed_target(Path(env["DBT_TARGET_PATH"]), Path(env["WAREHOUSE_PATH"]))
    return env


def run_checked(command: list[str], env: dict[str, str], timeout: float = 600) -> None:
    """Run a command; fail the test with the end of its output when it fails."""
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
