"""Run one dlt source into the warehouse: keyed state, progress, a summary line per table."""

from __future__ import annotations

import copy
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dlt
import duckdb
from dlt.common.libs.sql_alchemy_shims import URL as PlainUrl
from dlt.common.pipeline import LoadInfo
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials
from dlt.extract.source import DltSource

from load.committed_state import local_state_is_committed, remove_completed_packages
from load.config import PIPELINES_FOLDER, pipeline_name, warehouse_path
from load.config_inputs import FIXED_SETTINGS
from load.failures import as_config_error
from load.lake.export import LakeExport
from load.lake.location import open_lake
from load.metrics import ROWS_WRITTEN, SECONDS_WRITING
from load.pending_copies import settle_pending_copies
from load.warehouse_access import exclusive_writer

log = logging.getLogger("load")


class _QuietArrowHintNotice(logging.Filter):
    """dlt warns on every run that reflected MySQL types (DECIMAL(10,2)) differ from Arrow's
    (decimal128(38,10)); the reflected types are the ones we want, so the notice is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "when merging arrow schema with dlt schema" not in record.getMessage()


logging.getLogger("dlt").addFilter(_QuietArrowHintNotice())


def _displayed_location(credentials: DuckDbCredentials) -> str:
    """The warehouse as dlt shows it in a load's info. dlt renders it with SQLAlchemy's URL class, importing
    SQLAlchemy (a tenth of a second of CPU) in runs that need it nowhere else; dlt's own copy of that class, which
    it uses when SQLAlchemy is not installed, renders the same text."""
    parts = (credentials.username, credentials.password, credentials.host, credentials.port, credentials.database)
    return PlainUrl.create(credentials.drivername, *parts).render_as_string(hide_password=True)


DuckDbCredentials.__str__ = _displayed_location  # type: ignore[method-assign,assignment]


@dataclass(frozen=True)
class TableSummary:
    table: str
    rows: int
    seconds: float


@dataclass(frozen=True)
class RunResult:
    pipeline_name: str
    tables: list[TableSummary]
    seconds: float
    load_info: LoadInfo | None


@dataclass(frozen=True)
class SourceJob:
    """How to load one source system.

    `identity` names the system without secrets (e.g. host:port/db); `build` makes the dlt source from the
    pipeline state restored from the warehouse, so a source can tell a first load from an incremental one, or
    returns None when it knows there is nothing to load (the run then ends without a dlt run).
    """

    name: str
    dataset: str
    identity: Callable[[], str]
    build: Callable[[dict[str, Any]], DltSource | None]
    # Optional extra summary lines of a run (e.g. records read = loaded + rejected).
    report: Callable[[RunResult], list[str]] | None = None
    # Optional further loads in the same run, each made from the state the previous load committed (e.g. a
    # binlog stream after its snapshot, or catching up in chunks); None ends the run.
    follow_up: Callable[[dict[str, Any]], DltSource | None] | None = None
    # Optional last step of a run that succeeded, while the warehouse is still held, on the run's connection to
    # it (e.g. note the committed state for a quick check of the next run).
    after_run: Callable[[dlt.Pipeline, duckdb.DuckDBPyConnection], None] | None = None
    # Optional: the source's positions (binlog position, cursor values, shard sequence numbers) in its dlt source
    # state, for the lake's manifest of each load.
    positions: Callable[[dict[str, Any]], dict[str, Any]] | None = None


def make_pipeline(
    job: SourceJob, warehouse: Path, connection: duckdb.DuckDBPyConnection | None = None, new: bool | None = None
) -> dlt.Pipeline:
    """The job's pipeline on `warehouse`, with the state the warehouse committed last. `connection`: one open
    connection to the warehouse that dlt then shares for the whole run (else dlt opens the file for each of its
    steps, ~60 ms each); `new`: whether the warehouse file did not exist before that connection made it."""
    name = pipeline_name(job.name, job.identity())
    os.environ.update(FIXED_SETTINGS)
    new = not warehouse.exists() if new is None else new
    credentials = warehouse_credentials(warehouse) if connection is None else DuckDbCredentials(connection)
    # Each merge (DELETE the changed keys, then INSERT their new rows) in one transaction: dlt's DuckDB default
    # runs them one by one, so a failed INSERT left the keys deleted and raw shorter than the source.
    destination = dlt.destinations.duckdb(credentials, supports_transactions=True)
    pipeline = dlt.pipeline(
        pipeline_name=name,
        pipelines_dir=str(warehouse.parent / PIPELINES_FOLDER),
        destination=_capabilities_worked_out_once(destination),
        dataset_name=job.dataset,
        # Progress goes to stderr every few seconds; stdout keeps the summary lines.
        progress=dlt.progress.log(log_period=5.0, logger=sys.stderr, dump_system_stats=False),
    )
    # The warehouse is the one source of truth for cursors: unless the local working state is exactly what the
    # warehouse committed last, drop it (a crashed run's half-extracted packages, or state of a warehouse file
    # since deleted) and restore the state dlt committed together with the data.
    if not new and local_state_is_committed(pipeline, warehouse, connection):
        remove_completed_packages(pipeline)
        _mark_synced(pipeline)
        return pipeline
    if pipeline.has_data:
        pipeline = pipeline.drop()
    if not new:  # a new warehouse has nothing to restore
        pipeline.sync_destination()
        _mark_synced(pipeline)
    return pipeline


def _mark_synced(pipeline: dlt.Pipeline) -> None:
    """Tell dlt its state already matches the warehouse's: its first `run` would otherwise read state and schemas
    from the warehouse again, a tenth of an incremental run. (dlt's own flag for a pipeline synced by `run`.)"""
    pipeline._state_restored = True


def _capabilities_worked_out_once(destination: Any) -> Any:
    """dlt asks the destination for its capabilities dozens of times a run, and each time resolves the destination's
    whole configuration from every provider again (a tenth of an incremental run). Within one run the providers do
    not change, so each distinct request is worked out once and handed out as a copy."""
    worked_out: dict[int, tuple[Any, Any]] = {}  # id(naming) -> (naming, capabilities); naming kept alive
    capabilities = destination.capabilities

    def capabilities_once(config: Any = None, naming: Any = None) -> Any:
        if config is not None:  # a resolved configuration: cheap, and may differ per call
            return capabilities(config, naming)
        if id(naming) not in worked_out:
            worked_out[id(naming)] = (naming, capabilities(None, naming))
        return copy.deepcopy(worked_out[id(naming)][1])

    destination.capabilities = capabilities_once
    return destination


def warehouse_credentials(warehouse: Path) -> DuckDbCredentials:
    """The warehouse file as dlt's credentials object: given as text, dlt first tries it as a URL on each of the
    dozens of times it resolves the destination's configuration in a run, and that imports SQLAlchemy."""
    credentials = DuckDbCredentials()
    credentials.database = str(warehouse)
    return credentials


def source_state(pipeline: dlt.Pipeline, source_name: str) -> dict[str, Any]:
    return dict(pipeline.state.get("sources", {}).get(source_name, {}))


def run_job(job: SourceJob) -> RunResult:
    """Load `job`'s source; a failure a user can fix is raised as one LoadConfigError line."""
    warehouse = warehouse_path()
    try:
        with exclusive_writer(warehouse, f"{job.name} loader"):
            return _run_locked(job, warehouse)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # connectorx panics are BaseExceptions
        user_error = as_config_error(error, _describe_source(job))
        if user_error is None:
            raise
        raise user_error from error


def _describe_source(job: SourceJob) -> str:
    try:
        return f"the {job.name} source {job.identity()}"
    except Exception:  # the identity needs config that may be what is missing
        return f"the {job.name} source"


def _run_locked(job: SourceJob, warehouse: Path) -> RunResult:
    started = time.monotonic()
    new = not warehouse.exists()
    with duckdb.connect(str(warehouse)) as connection:
        pipeline = make_pipeline(job, warehouse, connection, new)
        tables, load_info = _load(job, pipeline, connection)
    return RunResult(
        pipeline_name=pipeline.pipeline_name,
        tables=tables,
        seconds=time.monotonic() - started,
        load_info=load_info,
    )


def _load(
    job: SourceJob, pipeline: dlt.Pipeline, connection: duckdb.DuckDBPyConnection
) -> tuple[list[TableSummary], LoadInfo | None]:
    """Every load of the run, in turn; the tables loaded and the last load's info."""
    client = pipeline.sql_client()  # one client for the run's settling: each new one resolves dlt's config again
    _settle(client)  # copies of a load committed by a run killed before it could publish them
    lake = LakeExport(open_lake(), job.dataset, job.name, pipeline.pipeline_name, job.positions)
    _catch_up(lake, pipeline, connection)  # loads committed by a run that ended before the lake had them
    source: DltSource | None = job.build(source_state(pipeline, job.name))
    tables: list[TableSummary] = []
    load_info = None
    try:
        while source is not None:
            load_info = pipeline.run(source)
            _settle(client)
            _catch_up(lake, pipeline, connection)
            tables = add_summaries(tables, summarize_tables(pipeline, load_info))
            source = job.follow_up(source_state(pipeline, job.name)) if job.follow_up else None
    except BaseException:
        _settle_after_failure(client)
        raise
    if job.after_run:
        job.after_run(pipeline, connection)
    return tables, load_info


def _catch_up(lake: LakeExport, pipeline: dlt.Pipeline, connection: duckdb.DuckDBPyConnection) -> None:
    """Every committed load into the lake (load/lake/export.py), right after the warehouse committed it."""
    started = time.monotonic()
    exported = lake.catch_up(connection, pipeline.default_schema if pipeline.default_schema_name else None)
    if exported:
        log.debug("lake: exported %s in %.2fs", ", ".join(exported), time.monotonic() - started)


def _settle(sql_client: Any) -> None:
    """`sql_client`: dlt's SQL client of the pipeline's dataset (opened here, and closed again)."""
    with sql_client as client:
        if client.has_dataset():
            published = settle_pending_copies(client)
            if published:
                log.debug("published the copies of %s", ", ".join(published))


def _settle_after_failure(sql_client: Any) -> None:
    """Drop the failed load's pending copies now rather than at the next run; the original error matters more
    than one raised here (the next run settles again)."""
    try:
        _settle(sql_client)
    except Exception as error:
        log.warning("could not drop the failed load's pending copies (the next run will): %s", error)


def summarize_tables(pipeline: dlt.Pipeline, load_info: LoadInfo) -> list[TableSummary]:
    """Rows per table from the normalize step, seconds from extract + load job timings."""
    trace = pipeline.last_trace
    row_counts: dict[str, int] = dict(trace.last_normalize_info.row_counts) if trace else {}
    job_seconds: dict[str, float] = {}
    # Whole copies go straight into the warehouse (load/mysql/direct_copy.py): dlt sees none of their rows.
    extract_info = trace.last_extract_info if trace else None
    for metrics in extract_info.metrics.values() if extract_info else ():
        for name, resource in metrics[0]["resource_metrics"].items():
            custom = resource.custom_metrics
            if ROWS_WRITTEN in custom:
                row_counts[name] = row_counts.get(name, 0) + custom[ROWS_WRITTEN]
                job_seconds[name] = job_seconds.get(name, 0.0) + custom[SECONDS_WRITING]
    for metrics in load_info.metrics.values():
        for step in metrics:
            for job in step.get("job_metrics", {}).values():
                elapsed = (job.finished_at - job.started_at).total_seconds() if job.finished_at else 0.0
                job_seconds[job.table_name] = job_seconds.get(job.table_name, 0.0) + elapsed
    return [
        TableSummary(table=table, rows=rows, seconds=job_seconds.get(table, 0.0))
        for table, rows in sorted(row_counts.items())
        if not table.startswith("_dlt")
    ]


def add_summaries(first: list[TableSummary], second: list[TableSummary]) -> list[TableSummary]:
    """Rows and seconds per table over several loads of one run."""
    totals = {summary.table: summary for summary in first}
    for summary in second:
        before = totals.get(summary.table, TableSummary(summary.table, 0, 0.0))
        totals[summary.table] = TableSummary(
            summary.table, before.rows + summary.rows, before.seconds + summary.seconds
        )
    return [totals[table] for table in sorted(totals)]


def print_summary(job: SourceJob, result: RunResult) -> None:
    print(f"{job.name}: loaded into {job.dataset} of {warehouse_path()} in {result.seconds:.1f}s")
    if not result.tables:
        print(f"  {job.name}: no new rows")
    for table in result.tables:
        print(f"  {job.dataset}.{table.table}: {table.rows} rows, {table.seconds:.2f}s")
    for line in job.report(result) if job.report else []:
        print(f"  {job.name}: {line}")
