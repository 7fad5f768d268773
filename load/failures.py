"""Known failures deep inside dlt or DuckDB, turned into one line that names the fix."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
from botocore.exceptions import ClientError

from load.config import warehouse_path
from load.errors import LoadConfigError


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def as_config_error(error: BaseException) -> LoadConfigError | None:
    """The actionable error hidden in an exception chain (dlt wraps everything in PipelineStepFailed), if any."""
    for cause in _chain(error):
        if isinstance(cause, LoadConfigError):
            return cause
        if isinstance(cause, duckdb.IOException) and "lock" in str(cause).lower():
            return LoadConfigError(
                f"the warehouse {warehouse_path()} is open in another process (a loader, dbt, or an analyst's "
                "session): close it and retry; analysts query the published warehouse/marts.duckdb instead"
            )
        if _is_lost_kinesis_position(cause):
            return LoadConfigError(
                "a Kinesis shard no longer has the sequence number this warehouse resumes from (the stream was "
                "recreated or the records expired): `python -m load reset kinesis` reads the stream from its start "
                "again and keeps the warehouse"
            )
    return None


def _is_lost_kinesis_position(error: BaseException) -> bool:
    if not isinstance(error, ClientError):
        return False
    details = error.response.get("Error", {})
    return details.get("Code") == "ResourceNotFoundException" and "SequenceNumber" in details.get("Message", "")
