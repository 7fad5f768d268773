"""Micro-batches of the near-real-time marts: after each load of `python -m load run kinesis --follow SECONDS
--build SELECTOR`, `dbt run --selector SELECTOR` (selectors.yml: clickstream_micro_batch) in the same loop.

One process takes turns: the warehouse has one writer at a time, so a dbt build beside a running loader would wait
for its lock (or fail) instead of running.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from load.config import warehouse_path
from load.errors import LoadConfigError
from load.local_services import REPO_ROOT
from load.warehouse_access import exclusive_writer

log = logging.getLogger("load")

_OUTPUT_TAIL = 3000


def dbt_executable() -> str:
    """dbt of this Python environment (the venv's), else the one on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else "dbt"


def build_marts(selector: str) -> float:
    """`dbt run --selector selector` on the warehouse just loaded; its seconds. A failed build stops the loop with
    dbt's own last lines: marts left behind are the point of this loop, so they are never skipped quietly."""
    started = time.monotonic()
    command = [dbt_executable(), "run", "--selector", selector, "--project-dir", str(REPO_ROOT)]
    if not os.environ.get("DBT_PROFILES_DIR"):
        command += ["--profiles-dir", str(REPO_ROOT)]
    # A writer like the loads: another loader or `make build` beside it waits for it, and it for them.
    with exclusive_writer(warehouse_path(), f"dbt run --selector {selector}"):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        tail = (result.stdout + result.stderr)[-_OUTPUT_TAIL:]
        raise LoadConfigError(f"dbt run --selector {selector} failed (exit {result.returncode}):\n{tail}")
    print(f"dbt: built selector {selector} in {seconds:.1f}s", flush=True)
    return seconds
