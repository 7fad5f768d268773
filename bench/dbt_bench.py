"""dbt: the full `dbt build` of a freshly loaded warehouse, the daily incremental build after a day tick, and the
full build of a baseline commit's dbt project on the same loaded warehouse."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tarfile
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
# The last commit before the marts were simplified (costed lines once, incremental only where it pays): its full
# build is measured beside ours, same run, same loaded warehouse.
BASELINE_COMMIT = "0a73cb2"
# What a dbt build of a commit reads: the project, its profile and the dbt plugin the profile names.
BASELINE_PATHS = ("dbt_project.yml", "profiles.yml", "selectors.yml", "packages.yml", "models", "macros",
                  "snapshots", "seeds", "tests/dbt", "analyses", "load")  # fmt: skip


def slowest_nodes(target: Path, count: int = 6) -> str:
    """The dbt nodes that took longest in the last build, from target/run_results.json."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    ranked = sorted(results, key=lambda result: result["execution_time"], reverse=True)[:count]
    # unique_id: model.<project>.<name> or test.<project>.<name>.<hash>
    return ", ".join(f"{r['unique_id'].split('.')[2]} {r['execution_time']:.1f} s" for r in ranked)


def export_project(commit: str, dest: Path) -> Path:
    """The dbt project of `commit` (git archive of BASELINE_PATHS that exist there) in `dest`."""
    listed = subprocess.run(["git", "ls-tree", "--name-only", commit, *BASELINE_PATHS], cwd=REPO_ROOT,
                            check=True, capture_output=True, text=True).stdout.split()  # fmt: skip
    archive = dest.with_suffix(".tar")
    subprocess.run(["git", "archive", "--output", str(archive), commit, *listed], cwd=REPO_ROOT, check=True)
    clean(dest)
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    archive.unlink()
    return dest


def measure(
    scale: Scale, repeats: int, stream: str | None, mode: str, seed_base: int, baseline: str = ""
) -> list[Figure]:
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
    old = Figure("dbt build|baseline_full", "s") if baseline else None
    if old:
        project = export_project(baseline, work / "baseline")
        old_env = {**env, "WAREHOUSE_PATH": str(work / "baseline.duckdb"), "DBT_PROFILES_DIR": str(project),
                   "PYTHONPATH": str(project), "DBT_TARGET_PATH": str(work / "baseline_target")}  # fmt: skip
    # Each repeat builds full (and the baseline), then ticks and builds daily: the shared machine's load drifts over
    # all three alike. `loaded` follows the source after each tick, so every daily build gets one day's changes.
    for attempt in range(repeats):
        shutil.copyfile(loaded, warehouse)
        full.samples.append(run_measured([DBT, "build", "--quiet"], env=env, cwd=REPO_ROOT).seconds)
        full.note = f"slowest nodes of the last run: {slowest_nodes(work / 'target')}"
        log.info("bench: dbt build (full) %.1f s", full.samples[-1])
        if old:
            shutil.copyfile(loaded, old_env["WAREHOUSE_PATH"])
            old.samples.append(run_measured([DBT, "build", "--quiet"], env=old_env, cwd=project).seconds)
            old.note = (f"commit {baseline}'s full build on the same loaded warehouse; slowest nodes of the last "
                        f"run: {slowest_nodes(work / 'baseline_target')}")  # fmt: skip
            log.info("bench: dbt build (full, %s) %.1f s", baseline, old.samples[-1])
        source_db.tick(scale, seed=seed_base + attempt)
        run_loader(scale, warehouse, mode)
        daily.samples.append(run_measured([DBT, "build", "--quiet"], env=env, cwd=REPO_ROOT).seconds)
        daily.note = f"slowest nodes of the last run: {slowest_nodes(work / 'target')}"
        log.info("bench: dbt build (daily) %.1f s", daily.samples[-1])
        if attempt + 1 < repeats:
            run_loader(scale, loaded, mode)
    clean(work)
    return [full, daily, *([old] if old else [])]
