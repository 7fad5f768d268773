"""dlt source for the classicmodels MySQL database: dlt's sql_table per table, with our load strategies."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any

import dlt
import sqlalchemy as sa
from dlt.extract.resource import DltResource
from dlt.sources.sql_database import sql_table

from load.mysql.direct_copy import CopySettings, direct_copy
from load.mysql.strategy import STRATEGIES, TABLES, TableStrategy

MERGE = {"disposition": "merge", "strategy": "delete-insert"}


def cursor_value(source_state: dict[str, Any], strategy: TableStrategy) -> date | None:
    """The newest cursor value loaded for a cursor table, from the dlt state restored from the warehouse."""
    if strategy.cursor is None:
        return None
    incremental = source_state.get("resources", {}).get(strategy.table, {}).get("incremental", {})
    value = incremental.get(strategy.cursor, {}).get("last_value")
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def last_cursor_values(source_state: dict[str, Any]) -> dict[str, str]:
    """Per cursor table, the last loaded cursor value as ISO text (tables never loaded are absent)."""
    values = {}
    for strategy in STRATEGIES:
        value = cursor_value(source_state, strategy)
        if value is not None:
            values[strategy.table] = value.isoformat()
    return values


def _rows_of_parents_since(
    strategy: TableStrategy, cursor: str, since: date
) -> Callable[[sa.Select, sa.Table], sa.Select]:
    """A query adapter keeping only rows whose parent row's cursor is on or after `since`."""
    parent = sa.table(strategy.parent, sa.column(strategy.parent_key), sa.column(cursor))

    def adapt(query: sa.Select, table: sa.Table) -> sa.Select:
        parent_keys = sa.select(parent.c[strategy.parent_key]).where(parent.c[cursor] >= since)
        return query.where(table.c[strategy.parent_key].in_(parent_keys))

    return adapt


def _nullable_columns(table: sa.Table) -> sa.Table:
    """CDC copies keep no NOT NULL constraints: a column dropped at the source must become NULL in raw, and one
    added later (NOT NULL DEFAULT 3) must be addable to a raw table that has rows. Types stay as reflected."""
    for column in table.columns:
        column.nullable = True
    return table


def _table_resource(
    strategy: TableStrategy,
    credentials: str,
    copy: CopySettings,
    lag_days: int,
    loaded_until: dict[str, str],
    reflection: sa.Engine,
    whole: bool = False,
) -> DltResource:
    common: dict[str, Any] = {
        "credentials": credentials,
        "table": strategy.table,
        "backend": "connectorx",
        # Stream Arrow batches instead of materialising the whole table: bounded memory.
        "backend_kwargs": {"return_type": "arrow_stream", "batch_size": copy.batch_size},
        "chunk_size": copy.batch_size,
        "primary_key": list(strategy.primary_key),
        "reflection_level": "full",
    }
    # A whole copy's sql_table is never run: it only reflects the table, on one shared engine (a connection each
    # would cost more than the reflection itself).
    reflect = {**common, "credentials": reflection}
    if whole:
        return _whole_copy(strategy, credentials, copy, sql_table(**reflect, table_adapter_callback=_nullable_columns))
    if strategy.mode == "replace":
        return _whole_copy(strategy, credentials, copy, sql_table(**reflect))

    if strategy.mode == "cursor":
        first_load = strategy.table not in loaded_until
        incremental = dlt.sources.incremental(
            strategy.cursor,
            lag=lag_days,
            # Re-send rows on the boundary date too: a day's rows can change after they were loaded.
            primary_key=(),
        )
        return sql_table(**common, incremental=incremental, write_disposition="replace" if first_load else MERGE)

    # mode == "follow": re-read the child rows of every parent row inside the parent's lag window.
    parent = next(s for s in STRATEGIES if s.table == strategy.parent)
    parent_until = loaded_until.get(parent.table)
    if parent_until is None:
        return _whole_copy(strategy, credentials, copy, sql_table(**reflect))
    since = date.fromisoformat(parent_until) - timedelta(days=lag_days)
    return sql_table(
        **common,
        write_disposition=MERGE,
        query_adapter_callback=_rows_of_parents_since(strategy, parent.cursor, since),
    )


def _whole_copy(strategy: TableStrategy, credentials: str, copy: CopySettings, reflected: DltResource) -> DltResource:
    """The table copied whole, straight into the warehouse; `reflected` (dlt's sql_table, never run) gives the
    column types and hints dlt's schema keeps for it."""
    return direct_copy(credentials, strategy.table, reflected.columns, strategy.primary_key, copy)


def _state_update(update: Callable[[dict[str, Any]], None]) -> DltResource:
    """A resource with no rows that edits the source state: state changed during extraction is what dlt
    commits with the load (edits made while the source is merely being built are not kept)."""

    @dlt.resource(name="state_update")
    def state_update() -> Iterator[Any]:
        update(dlt.current.source_state())
        yield from ()

    return state_update()


@dlt.source(name="mysql", max_table_nesting=0)
def mysql(
    credentials: str = dlt.secrets.value,
    lag_days: int = 3,
    batch_size: int = 100_000,
    copy_memory_limit: str = "128MB",
    loaded_until: dict[str, str] | None = None,
    query_tables: Sequence[str] = TABLES,
    snapshot_tables: Sequence[str] = (),
    stream: DltResource | None = None,
    update_state: Callable[[dict[str, Any]], None] | None = None,
) -> Iterator[DltResource]:
    """classicmodels tables.

    `query_tables` load with their declared strategy; `loaded_until` holds each cursor table's last loaded
    cursor (ISO date), and a table missing from it is loaded in full, replacing what the warehouse had.
    `snapshot_tables` are copied whole (CDC snapshot); `stream` is the binlog resource feeding CDC tables.
    `update_state` edits the source state committed with this load (e.g. the snapshot's binlog position).
    """
    copy = CopySettings(batch_size=batch_size, memory_limit=copy_memory_limit)
    if update_state is not None:
        yield _state_update(update_state)
    reflection = sa.create_engine(credentials)
    try:
        for strategy in STRATEGIES:
            if strategy.table in query_tables:
                yield _table_resource(strategy, credentials, copy, lag_days, loaded_until or {}, reflection)
            elif strategy.table in snapshot_tables:
                yield _table_resource(strategy, credentials, copy, lag_days, {}, reflection, whole=True)
    finally:
        reflection.dispose()
    if stream is not None:
        yield stream
