"""The `spark` dbt target against DuckDB on the same loads: the full build of a freshly loaded warehouse and the
daily build after a day tick, on each engine, and the peak memory of each build's process tree (on Spark: Python
and the JVM together). The Spark build reads the lake the loaders wrote beside
the warehouse (load/lake) and runs in its own venv (.venv-spark, scripts/spark_extras.sh)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from bench import source_db
from bench.contenders import clean
from bench.dbt_bench import DBT
from bench.figures import Figure
from bench.incremental import loader_env, run_loader
from bench.kinesis_bench import load_env
from bench.process import run_measured
from bench.settings import REPO_ROOT, VENV_PYTHON, Scale

log = logging.getLogger("bench")
SPARK_PYTHON = REPO_ROOT / ".venv-spark" / "bin" / "python"
# local[2] on a 2-core machine; dbt's threads as in profiles.yml.
SPARK_THREADS = "2"


def measure(scale: Scale, repeats: int, stream: str | None, mode: str, seed_base: int) -> list[Figure]:
    run_measured(["scripts/spark_extras.sh"], cwd=REPO_ROOT)
    work = scale.work_dir / "spark"
    clean(work)
    loaded = work / "loaded.duckdb"
    warehouse = work / "warehouse.duckdb"
    lake, loaded_lake = work / "lake", work / "lake_as_loaded"  # the loaders' lake: beside the warehouse file
    run_loader(scale, loaded, mode)
    if stream:
        run_measured([str(VENV_PYTHON), "-m", "load", "run", "kinesis"], env=load_env(stream, loaded), cwd=REPO_ROOT)
    shutil.copytree(lake, loaded_lake)
    figures = {
        key: Figure(f"spark vs duckdb|{key}", unit)
        for key, unit in (
            ("spark_full", "s"),
            ("duckdb_full", "s"),
            ("spark_daily", "s"),
            ("duckdb_daily", "s"),
            ("spark_peak_rss", "MB"),
            ("duckdb_peak_rss", "MB"),
        )
    }
    figures["spark_full"].note = "dbt build on Spark 3.5 local[2] + Iceberg from the lake, fresh catalog"
    figures["spark_daily"].note = "dbt build on Spark after a day tick and an incremental load"
    figures["spark_peak_rss"].note = "peak RSS of the Spark build (Python + JVM), full or daily"
    env = {
        **loader_env(scale, warehouse, mode),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    spark_env = {
        **env,
        "LAKE_URL": str(lake),
        "SPARK_STATE_DIR": str(work / "spark_state"),
        "DBT_TARGET_PATH": str(work / "spark_target"),
    }
    spark_command = [str(SPARK_PYTHON), "-m", "spark_build", "build", "--quiet", "--threads", SPARK_THREADS]
    for attempt in range(repeats):
        # the warehouse and its lake as first loaded: a lake never holds loads its warehouse has not
        shutil.copyfile(loaded, warehouse)
        shutil.rmtree(lake)
        shutil.copytree(loaded_lake, lake)
        clean(work / "spark_state")
        _builds(figures, "full", env, spark_env, spark_command)
        _keep_model_timings(work, scale.work_dir / f"spark_full_run_results_{attempt}.json")
        source_db.tick(scale, seed=seed_base + attempt)
        run_loader(scale, warehouse, mode)  # its load lands in the lake too
        _builds(figures, "daily", env, spark_env, spark_command)
        _keep_model_timings(work, scale.work_dir / f"spark_daily_run_results_{attempt}.json")
    clean(work)
    return list(figures.values())


def _builds(
    figures: dict[str, Figure], kind: str, env: dict[str, str], spark_env: dict[str, str], spark_command: list[str]
) -> None:
    """One DuckDB and one Spark build of the same loads, one after the other."""
    duckdb_run = run_measured([DBT, "build", "--quiet"], env=env, cwd=REPO_ROOT)
    spark_run = run_measured(spark_command, env=spark_env, cwd=REPO_ROOT)
    figures[f"duckdb_{kind}"].samples.append(duckdb_run.seconds)
    figures[f"spark_{kind}"].samples.append(spark_run.seconds)
    figures["duckdb_peak_rss"].samples.append(duckdb_run.peak_rss_mb)
    figures["spark_peak_rss"].samples.append(spark_run.peak_rss_mb)
    log.info("bench: dbt build (%s) DuckDB %.1f s, Spark %.1f s (%.0f MB)", kind, duckdb_run.seconds,
             spark_run.seconds, spark_run.peak_rss_mb)  # fmt: skip


def _keep_model_timings(work: Path, kept: Path) -> None:
    """The Spark build's run_results.json (each model's time) outlives the work folder, to see where a build's time
    goes."""
    run_results = work / "spark_target" / "run_results.json"
    if run_results.exists():
        shutil.copyfile(run_results, kept)
