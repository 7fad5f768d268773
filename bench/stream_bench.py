"""The stream sources' benchmark: a bare reference reader and a full load of the same stream, alternating."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import duckdb

from bench.contenders import clean
from bench.figures import Figure
from bench.process import run_measured
from bench.settings import REPO_ROOT, VENV_PYTHON, WORK_DIR

log = logging.getLogger("bench")


@dataclass(frozen=True)
class StreamBench:
    source: str  # `python -m load run SOURCE`
    reference_module: str  # `python -m MODULE STREAM` prints what it read
    reference_name: str  # figure name of the reference, e.g. "kinesis raw GetRecords"
    dataset: str
    tables: tuple[str, ...]  # every row read lands in one of them
    unit: str  # "events", "messages"
    # The measured load, arguments after the venv's python; default `-m load run SOURCE`.
    load_arguments: tuple[str, ...] = ()


def measure(bench: StreamBench, stream: str, expected: int, repeats: int, env: dict[str, str]) -> list[Figure]:
    """Reference reads and full loads of the whole stream, alternating, `repeats` times each."""
    per_second = f"{bench.unit}_per_s"
    raw = Figure(f"{bench.reference_name}|{per_second}", f"{bench.unit}/s")
    ours = Figure(f"{bench.source} ours into {bench.dataset}|{per_second}", f"{bench.unit}/s")
    rss = Figure(f"{bench.source} ours into {bench.dataset}|peak_rss", "MB")
    work = WORK_DIR / bench.source
    for _ in range(repeats):
        read = run_measured([str(VENV_PYTHON), "-m", bench.reference_module, stream], env=env, cwd=REPO_ROOT)
        assert int(read.stdout.strip()) == expected, f"reference read {read.stdout.strip()} of {expected}"
        raw.samples.append(expected / read.seconds)
        clean(work)
        warehouse = work / "warehouse.duckdb"
        command = [str(VENV_PYTHON), *(bench.load_arguments or ("-m", "load", "run", bench.source))]
        run = run_measured(command, env={**env, "WAREHOUSE_PATH": str(warehouse)}, cwd=REPO_ROOT)
        loaded = _loaded(warehouse, bench)
        assert loaded == expected, f"loaded {loaded} of {expected} {bench.unit}"
        ours.samples.append(expected / run.seconds)
        rss.samples.append(run.peak_rss_mb)
        log.info("bench: %s reference %.0f/s, ours %.0f/s", bench.source, raw.samples[-1], ours.samples[-1])
    clean(work)
    return [raw, ours, rss]


def _loaded(warehouse: object, bench: StreamBench) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return sum(
            connection.execute(f"SELECT COUNT(*) FROM {bench.dataset}.{table}").fetchone()[0] for table in bench.tables
        )
