"""The daily run, direct (`python -m load run`, `dbt build`, publish) against orchestrated (Dagster's `daily` job,
`dagster job execute`: one process, steps in order), on copies of one built warehouse after the same day tick."""

from __future__ import annotations

import logging
import shutil

from bench import source_db
from bench.contenders import clean
from bench.figures import Figure
from bench.incremental import loader_env, run_loader
from bench.kinesis_bench import load_env
from bench.process import run_measured
from bench.settings import REPO_ROOT, VENV_PYTHON, Scale

log = logging.getLogger("bench")
BIN = REPO_ROOT / ".venv" / "bin"
DIRECT = [
    [str(VENV_PYTHON), "-m", "load", "run"],
    [str(BIN / "dbt"), "build", "--quiet"],
    [str(VENV_PYTHON), "-m", "load.publish"],
]
ORCHESTRATED = [[str(BIN / "dagster"), "job", "execute", "-m", "orchestration.definitions", "-j", "daily"]]


def measure(scale: Scale, repeats: int, stream: str | None, mode: str, seed_base: int) -> list[Figure]:
    work = scale.work_dir / "orchestration"
    clean(work)
    built = work / "built.duckdb"
    run_loader(scale, built, mode)
    env = {
        **loader_env(scale, built, mode),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    if stream:
        env = {**env, **load_env(stream, built)}
        run_measured([str(VENV_PYTHON), "-m", "load", "run", "kinesis"], env=env, cwd=REPO_ROOT)
    run_measured([str(BIN / "dbt"), "build", "--quiet"], env=env, cwd=REPO_ROOT)
    direct = Figure("daily run|direct", "s", note="python -m load run; dbt build; python -m load.publish")
    orchestrated = Figure("daily run|orchestrated", "s", note="dagster job execute -j daily (in-process executor)")
    for attempt in range(repeats):
        source_db.tick(scale, seed=seed_base + attempt)
        for figure, commands in ((direct, DIRECT), (orchestrated, ORCHESTRATED)):
            warehouse = work / f"{figure.name.split('|')[1]}.duckdb"
            shutil.copyfile(built, warehouse)
            run_env = {**env, "WAREHOUSE_PATH": str(warehouse), "MARTS_PATH": str(work / f"marts_{warehouse.name}")}
            figure.samples.append(sum(run_measured(c, env=run_env, cwd=REPO_ROOT).seconds for c in commands))
        # The next tick builds on the direct run's result, as a real next day would.
        shutil.copyfile(work / "direct.duckdb", built)
        log.info("bench: daily run: direct %.1f s, orchestrated %.1f s", direct.samples[-1], orchestrated.samples[-1])
    clean(work)
    return [direct, orchestrated]
