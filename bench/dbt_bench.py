"""dbt: the full `dbt build` of a freshly loaded warehouse, and the daily incremental build after a day tick."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from bench import source_db
from bench.contenders import clean
from bench.figures import Figure
from bench.incremental import loader_env, run_loader
from bench.kinesis_bench import load_env
from bench.process import run_measured
from bench.settings import REPO_ROOT, Scale

log = logging.getLogger("bench")
DBT = str(REPO_ROOT / ".venv" / "bin" / "dbt")


def slowest_nodes(target: Path, count: int = 6) -> str:
    """The dbt nodes that took longest in the last build, from target/run_results.json."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    ranked = sorted(results, key=lambda result: result["execution_time"], reverse=True)[:count]
    # unique_id: model.<project>.<name> or test.<project>.<name>.<hash>
    return ", ".join(f"{r['unique_id'].split('.')[2]} {r['execution_time']:.1f} s" for r in ranked)


def measure(scale: Scale, repeats: int, stream: str | None, mode: str, seed_base: int) -> list[Figure]:
    work = scale.work_dir / "dbt"
    clean(work)
    loaded = work / "loaded.duckdb"
    warehouse = work / "warehouse.duckdb"
    run_loader(scale, loaded, mode)
    if stream:
        run_measured([str(REPO_ROOT / ".venv" / "bin" / "python"), "-m", "load", "run", "kinesis"],
                     env=load_env(stream, loaded), cwd=REPO_ROOT)  # fmt: skip
    full = Figure("dbt build|full", "s", note="dbt build of a freshly loaded warehouse")
    daily = Figure("dbt build|daily", "s", note="dbt build after a day tick and an incremental load")
    env = {
        **loader_env(scale, warehouse, mode),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    for _ in range(repeats):
        shutil.copyfile(loaded, warehouse)
        full.samples.append(run_measured([DBT, "build", "--quiet"], env=env, cwd=REPO_ROOT).seconds)
        full.note = f"slowest nodes of the last run: {slowest_nodes(work / 'target')}"
        log.info("bench: dbt build (full) %.1f s", full.samples[-1])
    for attempt in range(repeats):
        source_db.tick(scale, seed=seed_base + attempt)
        run_loader(scale, warehouse, mode)
        daily.samples.append(run_measured([DBT, "build", "--quiet"], env=env, cwd=REPO_ROOT).seconds)
        daily.note = f"slowest nodes of the last run: {slowest_nodes(work / 'target')}"
        log.info("bench: dbt build (daily) %.1f s", daily.samples[-1])
    clean(work)
    return [full, daily]
