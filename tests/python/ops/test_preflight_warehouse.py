"""The demo's preflight refuses an unwritable WAREHOUSE_PATH before it simulates a day (no services needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from load.local_services import REPO_ROOT


@pytest.mark.parametrize("warehouse", ["/dev/null/dw.duckdb", "/proc/dw.duckdb", "folder"])
def test_preflight_names_an_unwritable_warehouse_path(tmp_path: Path, warehouse: str) -> None:
    path = str(tmp_path) if warehouse == "folder" else warehouse
    result = subprocess.run(
        [sys.executable, "-m", "load.demo", "preflight"],
        cwd=REPO_ROOT,
        env={**os.environ, "WAREHOUSE_PATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "WAREHOUSE_PATH" in result.stderr
