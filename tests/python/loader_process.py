"""Run `python -m load run mysql` as a child process (as users do), in a chosen capture mode, or kill it mid-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from load.retry import wait_until


def loader_env(url: str, warehouse: Path, mode: str, settings: dict[str, str] | None = None) -> dict[str, str]:
    """`mode` is dlt config [sources.mysql] mode: "cdc" (binlog) or "cursor" (declared query strategies);
    `settings` are more dlt config environment variables (SOURCES__MYSQL__CDC_FALLBACK, ...)."""
    return {
        **os.environ,
        "SOURCES__MYSQL__CREDENTIALS": url,
        "WAREHOUSE_PATH": str(warehouse),
        "SOURCES__MYSQL__MODE": mode,
        **(settings or {}),
    }


def run_loader(
    url: str, warehouse: Path, *extra: str, mode: str = "cursor", settings: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "load", "run", "mysql", *extra],
        env=loader_env(url, warehouse, mode, settings),
        capture_output=True,
        text=True,
        timeout=300,
    )


def load_ok(url: str, warehouse: Path, *extra: str, mode: str = "cursor") -> str:
    result = run_loader(url, warehouse, *extra, mode=mode)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def kill_loader_at(stage_folder: str, url: str, warehouse: Path, mode: str = "cursor") -> None:
    """Start the loader and SIGKILL it as soon as a load package appears in `stage_folder` of dlt's working
    dir ("normalize/extracted": extraction under way, "load/normalized": loading into DuckDB under way)."""
    loader = subprocess.Popen(
        [sys.executable, "-m", "load", "run", "mysql"],
        env=loader_env(url, warehouse, mode),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pipelines = warehouse.parent / ".dlt_pipelines"
    if reached_while_running(loader, lambda: any(pipelines.glob(f"*/{stage_folder}/*")), timeout_seconds=120):
        loader.send_signal(signal.SIGKILL)
    assert loader.wait() == -signal.SIGKILL, f"the loader finished before reaching {stage_folder}"


def reached_while_running(
    process: subprocess.Popen[Any], reached: Callable[[], bool], timeout_seconds: float, interval_seconds: float = 0.005
) -> bool:
    """Whether `reached()` held while `process` still ran, within `timeout_seconds` (asked every few milliseconds:
    the moment to interrupt a run is short)."""
    ended_or_reached = wait_until(lambda: process.poll() is not None or reached(), timeout_seconds, interval_seconds)
    return bool(ended_or_reached) and process.poll() is None
