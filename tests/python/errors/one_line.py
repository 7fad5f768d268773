"""What every user mistake must produce: exit 2 and one `error:` line naming the fix, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

USER_ERROR = 2


def run_load(source: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "load", "run", source], env=env, capture_output=True, text=True, timeout=timeout
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single error line of a failed command (asserting exit 2, no traceback, nothing else flagged as error)."""
    output = result.stdout + result.stderr
    assert result.returncode == USER_ERROR, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output[-3000:]
    assert result.stderr.rstrip().endswith(errors[0]), output[-3000:]
    return errors[0]


def raw_tables(warehouse: Path, dataset: str) -> list[str]:
    import duckdb

    if not warehouse.exists():
        return []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [dataset]
        ).fetchall()
    return [name for (name,) in rows]
