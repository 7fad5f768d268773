"""Known failures deep inside dlt, DuckDB or a driver, turned into one line that names the fix.

Anything not recognised here keeps its traceback: an unknown failure needs its details.
"""

from __future__ import annotations

import errno
import re
import sys
from pathlib import Path

import duckdb

from load.config import warehouse_path
from load.errors import LoadConfigError, exception_chain

# pymysql client error codes of a server that is down or went away mid-query.
MYSQL_CONNECTION_LOST = {2003, 2005, 2006, 2013, 2055}
# What connectorx (Rust) says when its MySQL connection fails; it raises plain RuntimeErrors or a pyo3 panic.
CONNECTORX_CONNECTION_LOST = re.compile(
    r"connection refused|could not connect|lost connection|server has gone away|broken pipe|connection reset"
    r"|unexpected ?eof|cx writer failed|timed out waiting for connection|server disconnected",
    re.IGNORECASE,
)
# DuckDB on a WAREHOUSE_PATH that is some other file, or a DuckDB file newer than this DuckDB.
NOT_A_WAREHOUSE = re.compile(r"not a valid DuckDB database file|database file with version number", re.IGNORECASE)
UNREACHABLE_KINESIS = ("EndpointConnectionError", "ConnectionClosedError", "ReadTimeoutError")


def as_config_error(error: BaseException, source: str = "") -> LoadConfigError | None:
    """The actionable error hidden in an exception chain (dlt wraps everything in PipelineStepFailed), if any.

    `source` describes the source system being loaded (e.g. "MySQL at host:3306/db"), for messages about it."""
    for cause in exception_chain(error):
        found = _classify(cause, source or "the source")
        if found is not None:
            return found
    return None


def _classify(cause: BaseException, source: str) -> LoadConfigError | None:
    if isinstance(cause, LoadConfigError):
        return cause
    if isinstance(cause, duckdb.IOException) and "could not set lock" in str(cause).lower():
        pid = re.search(r"\(PID (\d+)\)", str(cause))
        return LoadConfigError(held_warehouse_message(warehouse_path(), pid.group(1) if pid else None))
    if isinstance(cause, duckdb.Error) and NOT_A_WAREHOUSE.search(str(cause)):
        return LoadConfigError(
            f"WAREHOUSE_PATH {warehouse_path()} is not a DuckDB database this DuckDB {duckdb.__version__} can open "
            f"({_first_line(cause)}): set WAREHOUSE_PATH to a DuckDB file (a new path starts an empty warehouse)"
        )
    if _is_disk_full(cause):
        return LoadConfigError(
            f"no space left for the warehouse {warehouse_path()}: free disk space (or set WAREHOUSE_PATH to a "
            "bigger disk) and rerun; nothing of the failed load was committed"
        )
    if _is_lost_kinesis_position(cause):
        return LoadConfigError(
            "a Kinesis shard no longer has the sequence number this warehouse resumes from (the stream was "
            "recreated or the records expired): `python -m load reset kinesis` reads the stream from its start "
            "again and keeps the warehouse"
        )
    if _is_unreachable_kinesis(cause) or _is_lost_mysql_connection(cause):
        return LoadConfigError(
            f"lost the connection to {source} during the load ({_first_line(cause)}): check that the server is up "
            "(local: make services-up) and rerun; the load resumes from the last committed state"
        )
    return None


def held_warehouse_message(warehouse: Path, holder_pid: str | None) -> str:
    holder = f"pid {holder_pid}: " if holder_pid else ""
    return (
        f"the warehouse {warehouse} is open in another process ({holder}a loader, dbt, or an analyst's session): "
        "close it and retry; analysts query the published warehouse/marts.duckdb instead"
    )


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    line = text[0] if text else type(error).__name__
    return line if len(line) <= 160 else line[:157] + "..."


def _is_disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return True
    return isinstance(error, duckdb.Error) and "no space left on device" in str(error).lower()


def _is_lost_mysql_connection(error: BaseException) -> bool:
    module = type(error).__module__ or ""
    if module.startswith("pymysql") and error.args and error.args[0] in MYSQL_CONNECTION_LOST:
        return True
    # connectorx: a RuntimeError or a pyo3 PanicException (module pyo3_runtime), known only by its text; when DuckDB
    # was reading its Arrow stream (a whole copy), DuckDB's error quotes that text.
    connectorx = isinstance(error, RuntimeError | duckdb.Error) or type(error).__name__ == "PanicException"
    return connectorx and bool(CONNECTORX_CONNECTION_LOST.search(str(error)))


def _botocore_error(error: BaseException, *names: str) -> bool:
    """Whether `error` is one of botocore's exceptions `names`. Only a run that imported botocore can raise one, so
    botocore is looked up, never imported: a MySQL run works without it."""
    exceptions = sys.modules.get("botocore.exceptions")
    return exceptions is not None and isinstance(error, tuple(getattr(exceptions, name) for name in names))


def _is_unreachable_kinesis(error: BaseException) -> bool:
    return _botocore_error(error, *UNREACHABLE_KINESIS)


def _is_lost_kinesis_position(error: BaseException) -> bool:
    if not _botocore_error(error, "ClientError"):
        return False
    details = error.response.get("Error", {})
    # kinesis-local: ResourceNotFoundException "Unable to find record with provided SequenceNumber"; AWS:
    # InvalidArgumentException "StartingSequenceNumber ... is invalid because it did not come from this stream"
    lost_codes = ("ResourceNotFoundException", "InvalidArgumentException")
    return details.get("Code") in lost_codes and "SequenceNumber" in details.get("Message", "")
