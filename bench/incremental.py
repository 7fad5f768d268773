"""Our whole MySQL job as users run it (`python -m load run mysql`): full, no change, after a day tick."""

from __future__ import annotations

import logging
from pathlib import Path

from bench import source_db
from bench.contenders import clean
from bench.figures import Figure
from bench.process import run_measured
from bench.settings import REPO_ROOT, VENV_PYTHON, Scale, base_env, loader_url

log = logging.getLogger("bench")


def loader_env(scale: Scale, warehouse: Path, mode: str) -> dict[str, str]:
    return {
        **base_env(),
        "SOURCES__MYSQL__CREDENTIALS": loader_url(scale.database),
        "SOURCES__MYSQL__MODE": mode,
        "WAREHOUSE_PATH": str(warehouse),
    }


def run_loader(scale: Scale, warehouse: Path, mode: str, source: str = "mysql") -> float:
    """Seconds of one `python -m load run SOURCE` into `warehouse`."""
    command = [str(VENV_PYTHON), "-m", "load", "run", source]
    return run_measured(command, env=loader_env(scale, warehouse, mode), cwd=REPO_ROOT).seconds


def measure(scale: Scale, repeats: int, modes: list[str], seed_base: int) -> list[Figure]:
    """Per capture mode and repeat: a fresh warehouse, the full job, a run with no change, a day tick, and
    the incremental run after it."""
    figures: list[Figure] = []
    for mode in modes:
        full = Figure(f"job {mode}|full", "s", note="all 8 tables, fresh warehouse")
        unchanged = Figure(f"job {mode}|no_change", "s")
        incremental = Figure(f"job {mode}|incremental", "s", note="after one day tick (~0.1% of order lines)")
        for attempt in range(repeats):
            work = scale.work_dir / f"job_{mode}"
            clean(work)
            warehouse = work / "warehouse.duckdb"
            full.samples.append(run_loader(scale, warehouse, mode))
            unchanged.samples.append(run_loader(scale, warehouse, mode))
            summary = source_db.tick(scale, seed=seed_base + attempt)
            incremental.samples.append(run_loader(scale, warehouse, mode))
            log.info("bench: job %s: full %.1f s, no change %.2f s, incremental %.2f s (%s)", mode,
                     full.samples[-1], unchanged.samples[-1], incremental.samples[-1], summary[:60])  # fmt: skip
        clean(scale.work_dir / f"job_{mode}")
        figures += [full, unchanged, incremental]
    return figures
