"""Loader runs for the lake tests: `python -m load run` as users start it, against a chosen warehouse and lake."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loader_process import loader_env, reached_while_running


@dataclass(frozen=True)
class Shop:
    """The module's demo shop: its admin URL (to change it) and the loader's."""

    admin_url: str
    loader_url: str


def lake_env(url: str, warehouse: Path, mode: str, lake_url: str | None = None, **settings: str) -> dict[str, str]:
    """The loader's environment; without `lake_url` the lake is the default one, `lake/` beside the warehouse."""
    env = loader_env(url, warehouse, mode, settings)
    env.pop("LAKE_URL", None)
    if lake_url is not None:
        env["LAKE_URL"] = lake_url
    return env


def run_load(env: dict[str, str], source: str = "mysql") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "load", "run", source], env=env, capture_output=True, text=True, timeout=300
    )


def load_ok(env: dict[str, str], source: str = "mysql") -> str:
    result = run_load(env, source)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def rebuild_ok(env: dict[str, str], target: Path) -> subprocess.CompletedProcess[str]:
    """`python -m load rebuild-raw --from-lake --to target` with the lake `env` configures; it must succeed."""
    result = subprocess.run(
        [sys.executable, "-m", "load", "rebuild-raw", "--from-lake", "--to", str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def kill_load(env: dict[str, str], reached: Callable[[], bool]) -> bool:
    """Start a mysql load and SIGKILL it once `reached()` holds; whether it was killed (a quick run may end first)."""
    loader = subprocess.Popen(
        [sys.executable, "-m", "load", "run", "mysql"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    if reached_while_running(loader, reached, timeout_seconds=120):
        loader.send_signal(signal.SIGKILL)
    return loader.wait() == -signal.SIGKILL


def stage_reached(warehouse: Path, stage_folder: str) -> Callable[[], bool]:
    """A package in dlt's `stage_folder` ("normalize/extracted": extracting, "load/normalized": loading)."""
    pipelines = warehouse.parent / ".dlt_pipelines"
    return lambda: any(pipelines.glob(f"*/{stage_folder}/*"))


def lake_file_written(lake: Path) -> Callable[[], bool]:
    """A data file of a new load appears in the lake: the warehouse committed it, its manifest is still missing."""
    before = {path for path in lake.rglob("*.parquet*")}
    return lambda: any(path not in before for path in lake.rglob("*.parquet*"))


def after_random_delay(seed: int, longest_seconds: float) -> Callable[[], bool]:
    """Anywhere in a run: true from a random moment within `longest_seconds` of now on."""
    deadline = time.monotonic() + random.Random(seed).uniform(0.2, longest_seconds)
    return lambda: time.monotonic() >= deadline
