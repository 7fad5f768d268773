"""The dlt resource that streams binlog changes into the raw tables and the `_changes` log.

Raw tables are merged (delete-insert) on their primary key: dlt keeps the last change per key of a load
(`_cdc_order`, dedup_sort) and deletes keys whose last change is a delete (`_cdc_deleted`, hard_delete).
`_changes` is merged insert-only on the change's binlog coordinates, so a load replayed after a crash adds
nothing twice. The position reached is written to the source state, which dlt commits with the load.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import dlt
import pyarrow as pa
from dlt.common.configuration.specs import ConnectionStringCredentials
from dlt.common.libs.pyarrow import get_py_arrow_datatype
from dlt.extract.resource import DltResource

from load.mysql.binlog_position import current_position
from load.mysql.binlog_reader import Transaction, read_transactions
from load.mysql.cdc_state import CdcState, StreamProgress
from load.mysql.change_rows import (
    CHANGES_COLUMNS,
    CHANGES_KEY,
    CHANGES_SCHEMA,
    CHANGES_TABLE,
    LOADER_FILE_FORMAT,
    RAW_TABLE_HINTS,
    ChangeLog,
    raw_rows,
    raw_table,
)
from load.mysql.preflight import connect
from load.mysql.strategy import strategy_for

log = logging.getLogger("load.mysql")
STREAM_RESOURCE = "binlog"
ROWS_PER_ITEM = 5_000  # rows handed to dlt per yield, per table


def binlog_resource(
    credentials: ConnectionStringCredentials,
    tables: tuple[str, ...],
    changes_per_load: int,
    progress: StreamProgress,
    state: CdcState,
) -> DltResource:
    """Streams from `state.position`; saves the state it reaches into the source state."""

    @dlt.resource(name=STREAM_RESOURCE)
    def binlog() -> Iterator[Any]:
        with connect(credentials) as connection, connection.cursor() as cursor:
            target = current_position(cursor)  # this load stops here; later changes wait for the next one
        assert target is not None and state.position is not None
        progress.caught_up, progress.changes = False, 0
        unsettled = _tables_not_yet_streamed((*tables, CHANGES_TABLE))
        batch = _Batch(state, column_types=_schema_arrow_types())
        for transaction in read_transactions(credentials, tables, state.position):
            yield from batch.add(transaction)
            if transaction.end is None:
                continue
            state.position = transaction.end
            changed = sorted(t for t in transaction.ddl_tables if not state.already_copied(t, transaction.end))
            if changed:
                # The table's shape changed: stop here and re-copy it before streaming on (see job.py).
                state.resnapshot = tuple(sorted(set(state.resnapshot) | set(changed)))
                log.warning("mysql: DDL on %s at %s: re-snapshotting it", ", ".join(changed), state.position)
                break
            if transaction.end.order() >= target.order():
                progress.caught_up = True
                break
            if batch.changes >= changes_per_load:
                break
        else:
            progress.caught_up = True  # end of the binlog
        yield from batch.flush()
        yield from _empty_items(unsettled)
        progress.changes = batch.changes
        state.save(dlt.current.source_state())

    resource = binlog()
    for table in tables:
        resource.apply_hints(
            table_name=table,
            primary_key=list(strategy_for(table).primary_key),
            create_table_variant=True,
            **RAW_TABLE_HINTS,
        )
    resource.apply_hints(
        table_name=CHANGES_TABLE,
        primary_key=list(CHANGES_KEY),
        write_disposition={"disposition": "merge", "strategy": "insert-only"},
        columns=CHANGES_COLUMNS,
        file_format=LOADER_FILE_FORMAT,
        create_table_variant=True,
    )
    return resource


def _tables_not_yet_streamed(tables: tuple[str, ...]) -> list[str]:
    """The stream's tables whose dlt schema is not yet the stream's: just copied (the copy's resource and hints),
    or not there at all (the change log)."""
    schema = dlt.current.source_schema()
    return [table for table in tables if schema.tables.get(table, {}).get("resource") != STREAM_RESOURCE]


def _empty_items(tables: list[str]) -> Iterator[Any]:
    """An empty item per table, with its columns: dlt then settles each table's schema as the stream's in this
    load (right after a snapshot), not in the first load that brings a change to it (a daily run)."""
    if not tables:
        return
    schema = dlt.current.source_schema()
    capabilities = dlt.current.pipeline().destination.capabilities()
    for table in tables:
        if table == CHANGES_TABLE:
            yield dlt.mark.with_table_name(CHANGES_SCHEMA.empty_table(), table)
            continue
        columns = schema.tables.get(table, {}).get("columns", {})
        fields = [
            pa.field(name, get_py_arrow_datatype(hints, capabilities, "UTC"))
            for name, hints in columns.items()
            if hints.get("data_type") and not name.startswith("_dlt")
        ]
        if fields:
            yield dlt.mark.with_table_name(pa.schema(fields).empty_table(), table)


def _schema_arrow_types() -> Callable[[str, str], pa.DataType | None]:
    """(table, source column) -> the Arrow type of that column in the pipeline's dlt schema, if it has one."""
    schema = dlt.current.source_schema()
    capabilities = dlt.current.pipeline().destination.capabilities()

    def column_type(table: str, column: str) -> pa.DataType | None:
        hints = schema.tables.get(table, {}).get("columns", {}).get(schema.naming.normalize_identifier(column))
        if not hints or not hints.get("data_type"):
            return None
        return get_py_arrow_datatype(hints, capabilities, "UTC")

    return column_type


class _Batch:
    """Rows waiting to be handed to dlt, per table, in binlog order."""

    def __init__(self, state: CdcState, column_types: Callable[[str, str], pa.DataType | None]) -> None:
        self.state = state
        self.column_types = column_types
        self.changes = 0
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.log = ChangeLog()

    def add(self, transaction: Transaction) -> Iterator[Any]:
        for change in transaction.changes:
            primary_key = strategy_for(change.table).primary_key
            self.changes += 1
            # A table copied after this change holds it already, and maybe in a newer shape than its row image:
            # the change log keeps it, the raw table does not replay it.
            if not self.state.already_copied(change.table, change.position):
                self.rows[change.table].extend(raw_rows(change, primary_key, order=self.changes))
            self.log.add(change, primary_key, transaction.committed_at, self.state.stream_id)
        if len(self.log) >= ROWS_PER_ITEM or any(len(rows) >= ROWS_PER_ITEM for rows in self.rows.values()):
            yield from self.flush()

    def flush(self) -> Iterator[Any]:
        for table, rows in self.rows.items():
            if rows:
                items = raw_table(rows, table, partial(self.column_types, table))
                yield dlt.mark.with_table_name(items, table)
        if len(self.log):
            yield dlt.mark.with_table_name(self.log.table(), CHANGES_TABLE)
        self.rows = defaultdict(list)
        self.log = ChangeLog()
