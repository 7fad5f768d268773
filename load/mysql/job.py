"""`python -m load run mysql`: credentials and capture mode from dlt config, preflight checks, then the loads.

A CDC run is one or more dlt loads, each committing its binlog position with its data:
1. a snapshot when the warehouse has no position yet (or `--resnapshot`, or tables newly switched to CDC, or
   tables a DDL changed): those tables are copied whole;
2. stream loads from the saved position up to the binlog's end as of the load's start, in chunks of at most
   `changes_per_load` changes (bounded memory and a checkpoint per chunk after a long gap).

Snapshot consistency, lock-free: the position is read *before* the copy starts, and the stream replays every
change from it. Replayed changes carry full row images and merge by primary key, so a change the copy already
saw is rewritten with the same or a later value and each key ends at its last change: after the stream load
the warehouse equals the source as of the stream's end. (FLUSH TABLES WITH READ LOCK needs RELOAD; a single
consistent-snapshot transaction would force the copy through one slow pymysql connection instead of connectorx.)
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import dlt
from dlt.common.configuration.specs import ConnectionStringCredentials
from dlt.extract.source import DltSource

from load.errors import LoadConfigError
from load.mysql.binlog_check import cdc_problems, describe_problems
from load.mysql.binlog_position import check_still_available, current_position
from load.mysql.cdc_state import CdcState, StreamProgress, forget
from load.mysql.cursor_state import last_cursor_values
from load.mysql.preflight import CREDENTIALS_HINT, check_keys, check_source, connect, describe, parse_credentials
from load.mysql.settings import CaptureSettings, read_capture_settings
from load.mysql.source import mysql
from load.mysql.strategy import DATASET, TABLES
from load.mysql.unchanged import remember_committed_run
from load.runner import SourceJob

log = logging.getLogger("load.mysql")


def configured_url() -> str:
    url = dlt.secrets.get("sources.mysql.credentials")
    if not url:
        raise LoadConfigError(f"no MySQL connection configured: set {CREDENTIALS_HINT}")
    # dlt may hand back its credentials object; we want the URL text.
    return url if isinstance(url, str) else url.to_native_representation()


def mysql_job() -> SourceJob:
    url = configured_url()
    credentials = parse_credentials(url)
    settings = read_capture_settings()
    plan = _CdcPlan(url, credentials, settings)

    def build(source_state: dict[str, Any]) -> DltSource | None:
        check_source(credentials, TABLES)
        return plan.first_load(source_state)

    return SourceJob(
        name="mysql",
        dataset=DATASET,
        identity=lambda: f"mysql://{describe(credentials)}",
        build=build,
        follow_up=plan.next_load,
        after_run=lambda pipeline, warehouse: remember_committed_run(pipeline, warehouse, url, plan.cdc_tables),
        positions=source_positions,
    )


def source_positions(source_state: dict[str, Any]) -> dict[str, Any]:
    """Where a committed state left the source: the binlog position (CDC) and each cursor table's last value."""
    cdc = CdcState.of(source_state)
    return {
        "binlog": cdc.position.to_state() if cdc.position is not None else None,
        "cursors": last_cursor_values(source_state),
    }


class _CdcPlan:
    """Chooses each load of one run: query strategies, snapshot, or stream."""

    def __init__(self, url: str, credentials: ConnectionStringCredentials, settings: CaptureSettings) -> None:
        self.url = url
        self.credentials = credentials
        self.settings = settings
        self.progress = StreamProgress()
        self.cdc_tables: tuple[str, ...] = ()

    def first_load(self, source_state: dict[str, Any]) -> DltSource | None:
        self.cdc_tables = self._usable_cdc_tables()
        query_tables = tuple(table for table in TABLES if table not in self.cdc_tables)
        loaded_until = last_cursor_values(source_state)
        if not self.cdc_tables:
            return self._query(query_tables, loaded_until, update_state=forget)
        saved = CdcState.of(source_state)
        if saved.position is None or self.settings.resnapshot:
            with connect(self.credentials) as connection, connection.cursor() as cursor:
                start = current_position(cursor)  # before the copy reads anything: see the module docstring
            fresh = CdcState(position=start, tables=self.cdc_tables)
            return self._snapshot(self.cdc_tables, fresh, query_tables, loaded_until)
        with connect(self.credentials) as connection, connection.cursor() as cursor:
            check_still_available(cursor, saved.position, describe(self.credentials))
            binlog_end = current_position(cursor)
        newly_cdc = tuple(table for table in self.cdc_tables if table not in saved.tables)
        to_copy = tuple(sorted(set(saved.resnapshot) | set(newly_cdc)))
        current = replace(saved, tables=self.cdc_tables, resnapshot=())
        if to_copy:
            return self._snapshot(to_copy, current, query_tables, loaded_until)
        if not query_tables and binlog_end == saved.position:
            log.info("mysql: nothing written to the binlog since %s", saved.position)
            return None  # nothing to load: no dlt run at all (a third of a no-change run's time)
        return self._stream(current, query_tables, loaded_until)

    def next_load(self, source_state: dict[str, Any]) -> DltSource | None:
        """After a load: copy tables a DDL changed, or stream on until caught up; None when done."""
        saved = CdcState.of(source_state)
        if not self.cdc_tables or saved.position is None:
            return None
        if saved.resnapshot:
            return self._snapshot(saved.resnapshot, replace(saved, resnapshot=()), (), {})
        if self.progress.caught_up:
            return None
        return self._stream(saved, (), {})

    def _snapshot(
        self, tables: tuple[str, ...], state: CdcState, query_tables: tuple[str, ...], loaded_until: dict[str, str]
    ) -> DltSource:
        with connect(self.credentials) as connection, connection.cursor() as cursor:
            check_keys(cursor, tables, describe(self.credentials))
            copy_start = current_position(cursor)  # before the copies read anything
        assert copy_start is not None
        state.copied_at = {**state.copied_at, **dict.fromkeys(tables, copy_start)}
        log.info("mysql: snapshot of %s from binlog position %s", ", ".join(tables), state.position)
        self.progress.caught_up = False  # the stream replays from the position, so one load always follows
        return self._query(query_tables, loaded_until, snapshot_tables=tables, update_state=state.save)

    def _stream(self, state: CdcState, query_tables: tuple[str, ...], loaded_until: dict[str, str]) -> DltSource:
        # Imported here: a run with nothing to stream skips pyarrow and the change-row conversions.
        from load.mysql.cdc_stream import binlog_resource

        stream = binlog_resource(
            self.credentials, self.cdc_tables, self.settings.changes_per_load, self.progress, state
        )
        return self._query(query_tables, loaded_until, stream=stream)

    def _query(self, query_tables: tuple[str, ...], loaded_until: dict[str, str], **load: Any) -> DltSource:
        """The mysql source for `query_tables` (by their strategies) plus what `load` adds (snapshot, stream)."""
        return mysql(
            credentials=self.url,
            loaded_until=loaded_until,
            query_tables=query_tables,
            **load,
        )

    def _usable_cdc_tables(self) -> tuple[str, ...]:
        """The tables configured for CDC, or none (with a warning) when the server cannot feed it."""
        wanted = self.settings.tables("cdc")
        if not wanted:
            return ()
        problems = cdc_problems(self.credentials)
        if not problems:
            return wanted
        message = describe_problems(self.credentials, problems)
        if not self.settings.cdc_fallback:
            raise LoadConfigError(f'{message}. Or load without CDC: [sources.mysql] mode = "cursor"')
        log.warning(
            "%s. Loading with the cursor/replace strategies instead: they miss deletes and updates outside the "
            'lag window (set [sources.mysql] mode = "cursor" to silence this, cdc_fallback = false to fail).',
            message,
        )
        return ()
