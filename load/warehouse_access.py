"""Who may write the warehouse, and when: a writable folder, one writer at a time.

DuckDB lets one process write a file, and every loader of a warehouse folder shares dlt's working folder
(`.dlt_pipelines`, which a run resets on start): a second loader started beside a running one would wipe the
first one's half-extracted packages. So every loader, and `dbt build` through `python -m load.warehouse_access`,
takes an exclusive lock on a file beside the warehouse first, waiting a bounded time for the holder. The lock is
the kernel's (flock): a killed holder releases it.

`python -m load.warehouse_access COMMAND...` runs COMMAND (scripts/build.sh: `dbt build`) under that lock, after
checking that no other process (an analyst's DuckDB session) holds the warehouse file open.
"""

from __future__ import annotations

import fcntl
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import duckdb

from load.config import warehouse_path
from load.errors import LoadConfigError
from load.failures import as_config_error

WAIT_SETTING = "WAREHOUSE_LOCK_WAIT_SECONDS"
DEFAULT_WAIT_SECONDS = 60.0
POLL_SECONDS = 0.2
LOCK_FILE_NAME = ".dlt_pipelines.lock"

log = logging.getLogger("load")


def writable_warehouse(warehouse: Path) -> None:
    """Raise LoadConfigError, naming WAREHOUSE_PATH, unless the warehouse file can be created or written."""
    if warehouse.is_dir():
        raise LoadConfigError(f"WAREHOUSE_PATH {warehouse} is a folder: set it to a file, e.g. {warehouse}/dw.duckdb")
    try:
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=warehouse.parent):
            pass
        if warehouse.exists() and not os.access(warehouse, os.W_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise LoadConfigError(
            f"cannot write the warehouse {warehouse} ({reason}): set WAREHOUSE_PATH to a file in a writable folder"
        ) from None


def wait_seconds() -> float:
    text = os.environ.get(WAIT_SETTING, "").strip()
    if not text:
        return DEFAULT_WAIT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise LoadConfigError(f"{WAIT_SETTING} is '{text}': set it to a number of seconds (0 = do not wait)")
    return seconds


@contextmanager
def exclusive_writer(warehouse: Path, what: str, wait: float | None = None) -> Iterator[None]:
    """Hold the warehouse's writer lock; wait up to `wait` seconds (default WAREHOUSE_LOCK_WAIT_SECONDS) for another
    holder, then refuse.

    `what` (e.g. "mysql loader") is recorded in the lock file, so the one refused can be told who holds it."""
    writable_warehouse(warehouse)
    path = warehouse.parent / LOCK_FILE_NAME
    with path.open("a+") as handle:
        _acquire(handle, warehouse, wait_seconds() if wait is None else wait)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{what} (pid {os.getpid()}) on {warehouse}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle: IO[str], warehouse: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    announced = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            holder = _holder(handle)
            if time.monotonic() >= deadline:
                raise LoadConfigError(
                    f"another writer ({holder}) is still using the warehouse {warehouse} after {wait:g}s: let it "
                    f"finish (or stop it) and retry, or wait longer with {WAIT_SETTING}"
                ) from None
            if not announced:
                log.warning("waiting up to %gs for %s to finish with the warehouse", wait, holder)
                announced = True
            time.sleep(POLL_SECONDS)


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    text = handle.read().strip()
    return text.split(" on ", 1)[0] if text else "another process"


def check_openable(warehouse: Path) -> None:
    """Raise LoadConfigError when the warehouse file cannot be opened for writing (held open by another process,
    not a DuckDB file), so a command is refused in one line before it starts."""
    if not warehouse.is_file():
        return
    try:
        duckdb.connect(str(warehouse)).close()
    except duckdb.Error as error:
        user_error = as_config_error(error)
        if user_error is None:
            raise
        raise user_error from None


def main(argv: list[str] | None = None) -> int:
    command = sys.argv[1:] if argv is None else argv
    if not command:
        print("usage: python -m load.warehouse_access COMMAND [ARGS...]", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    warehouse = warehouse_path()
    try:
        with exclusive_writer(warehouse, command[0]):
            check_openable(warehouse)
            return subprocess.call(command)
    except LoadConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
