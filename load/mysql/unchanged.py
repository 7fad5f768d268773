"""A CDC run with nothing to load, answered without importing dlt (most of such a run's time).

With every table on CDC, a run loads nothing when the binlog still ends at the position the warehouse committed
last (job.py). Deciding that takes the committed state, which dlt restores, and the settings, which dlt reads:
importing dlt alone costs more than the rest of the run. So each run that ends with the warehouse's committed
state also in its local pipeline folder records what it knew (`unchanged_run.json` in that folder): a digest of
every configuration input (load/config_inputs.py) and of the MySQL URL, the committed state's hash and the
binlog position in it. A later run skips dlt only when all of these still hold:

- the configuration inputs are the same (dlt would resolve the same settings: every table on CDC);
- the URL read from them has the recorded digest, and its pipeline folder holds the record;
- the warehouse's newest committed state has the recorded hash (same warehouse, nothing loaded since), no pending
  copies wait there (pending_copies.py) and no unfinished package waits locally;
- the binlog ends at the recorded position, the server still feeds CDC to the user and every table is readable.

Anything else, or any error on the way, runs the full job, which decides and reports as before. Nothing is
written here, so a kill at any point leaves the warehouse and the local folder as they were.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import duckdb

from load.committed_state import committed_state_hash, has_unfinished_packages
from load.config import PIPELINES_FOLDER, pipeline_name, warehouse_path
from load.config_inputs import inputs_digest, plain_setting
from load.mysql.binlog_check import cdc_problems
from load.mysql.binlog_position import BinlogPosition, current_position
from load.mysql.cdc_state import CdcState
from load.mysql.preflight import check_source, connect, describe
from load.mysql.strategy import DATASET, TABLES
from load.pending_copies import PENDING_PREFIX
from load.warehouse_access import exclusive_writer

if TYPE_CHECKING:
    import dlt

log = logging.getLogger("load.mysql")
RECORD_FILE = "unchanged_run.json"
SOURCE = "mysql"


@dataclass(frozen=True)
class MySqlUrl:
    """The parts of a plain `mysql+pymysql://user:password@host:port/database` URL the checks connect with."""

    host: str | None
    port: int | None
    username: str | None
    password: str | None
    database: str | None


def parse_plain_url(url: str) -> MySqlUrl | None:
    """The URL's parts, or None for anything but a plain URL (options, no database): those take the full job."""
    parts = urlsplit(url)
    database = unquote(parts.path.lstrip("/"))
    if parts.query or parts.fragment or not parts.hostname or not database or "/" in database:
        return None
    return MySqlUrl(
        host=parts.hostname,
        port=parts.port,
        username=unquote(parts.username) if parts.username is not None else None,
        password=unquote(parts.password) if parts.password is not None else None,
        database=database,
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _record_path(warehouse: Path, address: Any) -> Path:
    name = pipeline_name(SOURCE, f"mysql://{describe(address)}")
    return warehouse.parent / PIPELINES_FOLDER / name / RECORD_FILE


def nothing_to_load() -> bool:
    """True, with the run's summary printed, when the run provably has nothing to load; False: run the full job."""
    started = time.monotonic()
    if os.environ.get("SOURCES__MYSQL__RESNAPSHOT"):
        return False
    warehouse = warehouse_path()
    url = plain_setting(("sources", "mysql"), "credentials")
    address = parse_plain_url(url) if isinstance(url, str) else None
    if address is None or not warehouse.is_file():
        return False
    record_path = _record_path(warehouse, address)
    try:
        record = json.loads(record_path.read_text())
    except (OSError, ValueError):
        return False
    if record.get("inputs") != inputs_digest() or record.get("url") != _digest(url):
        return False
    try:
        # Not waiting for another writer: the full job waits, and says so.
        with exclusive_writer(warehouse, f"{SOURCE} loader", wait=0):
            position = _unchanged_position(warehouse, record_path.parent, record, address)
    except Exception as error:  # the full job meets the same problem and words it
        log.debug("mysql: quick check gave way to the full run: %s", error)
        return False
    if position is None:
        return False
    log.info("mysql: nothing written to the binlog since %s", position)
    print(f"{SOURCE}: loaded into {DATASET} of {warehouse} in {time.monotonic() - started:.1f}s")
    print(f"  {SOURCE}: no new rows")
    return True


def _unchanged_position(
    warehouse: Path, working_dir: Path, record: dict[str, Any], address: MySqlUrl
) -> BinlogPosition | None:
    """The recorded binlog position when every condition of the module docstring holds, else None."""
    if has_unfinished_packages(working_dir):
        return None
    position = BinlogPosition.from_state(record["position"])
    # First, as the common case after a change: one statement, then the full job (without opening the warehouse).
    with connect(address) as connection, connection.cursor() as cursor:
        if current_position(cursor) != position:
            return None
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        if committed_state_hash(connection, DATASET, working_dir.name) != record.get("state_hash"):
            return None
        pending = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND starts_with(table_name, ?)",
            [DATASET, PENDING_PREFIX],
        ).fetchone()
        if pending is None or pending[0]:
            return None
    # What the full job checks before it finds nothing to do, so that a run fails (there) exactly as it would.
    check_source(address, TABLES)
    return None if cdc_problems(address) else position


def remember_committed_run(
    pipeline: dlt.Pipeline, warehouse: duckdb.DuckDBPyConnection, url: str, cdc_tables: tuple[str, ...]
) -> None:
    """After a run whose local state is the warehouse's committed one, record it for nothing_to_load.
    `warehouse`: the run's connection to the warehouse."""
    record_path = Path(pipeline.working_dir) / RECORD_FILE
    record_path.unlink(missing_ok=True)  # whatever happens next, an older record no longer describes the warehouse
    state = pipeline.state
    saved = CdcState.of(state.get("sources", {}).get(SOURCE, {}))
    if cdc_tables != TABLES or saved.position is None or saved.resnapshot or saved.tables != TABLES:
        return
    try:
        with warehouse.cursor() as cursor:
            committed = committed_state_hash(cursor, pipeline.dataset_name, pipeline.pipeline_name)
    except duckdb.Error as error:
        log.debug("mysql: no quick-check record: %s", error)
        return
    if committed is None or committed != state.get("_version_hash") or pipeline.dataset_name != DATASET:
        return
    record = {
        "inputs": inputs_digest(),
        "url": _digest(url),
        "state_hash": committed,
        "position": saved.position.to_state(),
    }
    written = record_path.with_suffix(".tmp")
    written.write_text(json.dumps(record))
    written.replace(record_path)
