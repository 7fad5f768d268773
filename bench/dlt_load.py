"""Child process: load one MySQL table into a DuckDB file with dlt, then print a JSON line of what it did.

    python -m bench.dlt_load ours URL TABLE          our loader's source and runner (WAREHOUSE_PATH)
    python -m bench.dlt_load dlt-default URL TABLE DUCKDB_FILE   dlt's defaults: sql_table, sqlalchemy backend

`ours` runs from the repo root so .dlt/config.toml applies, exactly as `python -m load run mysql` does, and ends
as it does (its jobs with dlt's objects spared from garbage collection, no interpreter teardown). The JSON
line has the rows loaded and the seconds spent importing dlt (and, for dlt's defaults, its step timings).
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import dlt  # noqa: E402

IMPORTED = time.perf_counter()


def ours(url: str, table: str) -> dict[str, Any]:
    from load.gc_pause import long_lived_objects_spared
    from load.mysql.source import mysql
    from load.runner import SourceJob, run_job

    job = SourceJob(
        name="mysql",
        dataset="raw_classicmodels",
        identity=lambda: f"bench:{table}",
        build=lambda _state: mysql(credentials=url, query_tables=(table,)),
    )
    with long_lived_objects_spared():  # as `python -m load run` runs its jobs
        result = run_job(job)  # nothing after it: the measured process is the load and nothing else
    return {"rows": sum(t.rows for t in result.tables if t.table == table)}


def dlt_default(url: str, table: str, duckdb_file: str) -> dict[str, Any]:
    from dlt.sources.sql_database import sql_table

    pipeline = dlt.pipeline(
        pipeline_name="bench_dlt_default",
        pipelines_dir=str(Path(duckdb_file).parent / ".dlt_pipelines"),
        destination=dlt.destinations.duckdb(duckdb_file),
        dataset_name="raw",
    )
    pipeline.run(sql_table(credentials=url, table=table))
    rows = pipeline.last_trace.last_normalize_info.row_counts.get(table, 0)
    return {"rows": rows, "steps": step_seconds(pipeline)}


def step_seconds(pipeline: dlt.Pipeline) -> dict[str, float]:
    trace = pipeline.last_trace
    steps = trace.steps if trace else []
    return {step.step: (step.finished_at - step.started_at).total_seconds() for step in steps if step.finished_at}


def main(argv: list[str]) -> int:
    kind, *args = argv
    outcome = ours(*args) if kind == "ours" else dlt_default(*args)
    outcome["import_s"] = IMPORTED - STARTED
    outcome["total_s"] = time.perf_counter() - STARTED
    print(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "ours":
        from load.process_end import ProcessEnd

        # Ours ends as `python -m load` does: without the interpreter's teardown.
        ProcessEnd().run(lambda: main(sys.argv[1:]))
    sys.exit(main(sys.argv[1:]))
