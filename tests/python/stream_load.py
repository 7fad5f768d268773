"""In-process loads of the stream sources (Kinesis, Kafka) and read-only queries of the test's warehouse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from load.runner import SourceJob, run_job


def load_balance(make_job: Callable[[], SourceJob]) -> str:
    """One in-process `python -m load run SOURCE`; returns its 'read = loaded + rejected' line."""
    job = make_job()
    assert job.report is not None
    (line,) = job.report(run_job(job))
    return line


def query(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()
