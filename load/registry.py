"""The source systems `python -m load run` knows, in load order."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the runner imports dlt: a run that never needs it (load/mysql/unchanged.py) skips that
    from load.runner import SourceJob


def _mysql() -> SourceJob:
    from load.mysql.job import mysql_job

    return mysql_job()


def _kinesis() -> SourceJob:
    from load.kinesis.job import kinesis_job

    return kinesis_job()


def _kafka() -> SourceJob:
    from load.kafka.job import kafka_job

    return kafka_job()


# Imports are deferred so that one source's missing driver does not break the other's runs.
SOURCES: dict[str, Callable[[], SourceJob]] = {"mysql": _mysql, "kinesis": _kinesis, "kafka": _kafka}


def job_for(name: str) -> SourceJob:
    return SOURCES[name]()


def jobs_for(name: str) -> list[SourceJob]:
    """Every load of the source: one, or one per stream of `kinesis` (its email stream first, as `job_for`)."""
    if name == "kinesis":
        from load.kinesis.job import kinesis_jobs

        return kinesis_jobs()
    return [job_for(name)]
