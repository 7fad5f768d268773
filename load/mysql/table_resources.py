"""The dlt resources of table loads: dlt's sql_table per table with our load strategies, or a whole copy.

Imported only by runs that query or copy tables: a CDC run that only streams the binlog skips it. SQLAlchemy and
dlt's sql_database are imported only when a table is queried incrementally or has a column type column_hints.py
does not map: whole copies of the classicmodels tables take their hints from information_schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

import dlt
from dlt.common.schema.typing import TTableSchemaColumns
from dlt.extract.resource import DltResource

from load.mysql.change_rows import RAW_TABLE_HINTS
from load.mysql.column_hints import column_hints
from load.mysql.connection import open_connection
from load.mysql.cursor_state import as_date, remember_copied_until
from load.mysql.direct_copy import CopySettings, direct_copy
from load.mysql.preflight import SharedTlsConnection
from load.mysql.state_resource import state_update
from load.mysql.strategy import STRATEGIES, TableStrategy

if TYPE_CHECKING:
    import sqlalchemy as sa

MERGE = {"disposition": "merge", "strategy": "delete-insert"}


def _rows_of_parents_since(
    strategy: TableStrategy, cursor: str, since: date
) -> Callable[[sa.Select, sa.Table], sa.Select]:
    """A query adapter keeping only rows whose parent row's cursor is on or after `since`."""
    import sqlalchemy as sa

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


class _Reflection:
    """Column hints of whole copies: from information_schema (column_hints.py), else reflected by dlt's sql_table
    on one shared SQLAlchemy engine (a connection each would cost more than the reflection itself), made only
    when needed."""

    def __init__(self, credentials: str, whole_tables: Sequence[str], cdc_tables: Sequence[str]) -> None:
        self.credentials = credentials
        self.known = column_hints(credentials, [t for t in whole_tables if t not in cdc_tables])
        self.known_cdc = column_hints(credentials, cdc_tables, all_nullable=True)
        self._engine: sa.Engine | None = None

    def engine(self) -> sa.Engine:
        if self._engine is None:
            import sqlalchemy as sa

            self._engine = sa.create_engine(self.credentials)
        return self._engine

    def columns(self, table: str, cdc: bool, reflect: dict[str, Any]) -> TTableSchemaColumns:
        known = (self.known_cdc if cdc else self.known).get(table)
        if known is not None:
            return known
        from dlt.sources.sql_database import sql_table

        adapter = {"table_adapter_callback": _nullable_columns} if cdc else {}
        return sql_table(**reflect, credentials=self.engine(), **adapter).columns  # type: ignore[return-value]

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def _table_resource(
    strategy: TableStrategy,
    credentials: str,
    copy: CopySettings,
    lag_days: int,
    loaded_until: dict[str, str],
    reflection: _Reflection,
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
    # A whole copy's sql_table is never run: it only reflects the table.
    reflect = {name: value for name, value in common.items() if name != "credentials"}
    if whole:  # a CDC snapshot: the table then takes the stream's merges
        return _whole_copy(strategy, credentials, copy, reflection.columns(strategy.table, True, reflect), cdc=True)
    if _copied_whole(strategy, loaded_until):  # a first load's cursor value: recorded by table_resources
        return _whole_copy(strategy, credentials, copy, reflection.columns(strategy.table, False, reflect))

    from dlt.sources.sql_database import sql_table

    if strategy.mode == "cursor":
        until = loaded_until[strategy.table]
        incremental = dlt.sources.incremental(
            strategy.cursor,
            # After a copy, dlt has no incremental state yet: it starts here. Later its own state, lagged from
            # the newest value loaded, is never older than this, so this changes nothing then.
            initial_value=date.fromisoformat(until) - timedelta(days=lag_days),
            lag=lag_days,
            # Re-send rows on the boundary date too: a day's rows can change after they were loaded.
            primary_key=(),
        )
        return sql_table(**common, incremental=incremental, write_disposition=MERGE)

    # mode == "follow": re-read the child rows of every parent row inside the parent's lag window.
    parent = next(s for s in STRATEGIES if s.table == strategy.parent)
    since = date.fromisoformat(loaded_until[parent.table]) - timedelta(days=lag_days)
    return sql_table(
        **common,
        write_disposition=MERGE,
        query_adapter_callback=_rows_of_parents_since(strategy, parent.cursor, since),
    )


def _whole_copy(
    strategy: TableStrategy,
    credentials: str,
    copy: CopySettings,
    columns: TTableSchemaColumns,
    cdc: bool = False,
) -> DltResource:
    """The table copied whole, straight into the warehouse; `columns` are the column types and hints dlt's schema
    keeps for it. A CDC table gets the stream's hints. In both modes the change log gets the rows the copy no
    longer finds, so a raw table shrinks only with a logged delete."""
    return direct_copy(
        credentials,
        strategy.table,
        columns,
        strategy.primary_key,
        copy,
        RAW_TABLE_HINTS if cdc else None,
        log_gone_rows=True,
    )


def table_resources(
    credentials: str,
    copy: CopySettings,
    lag_days: int,
    loaded_until: dict[str, str],
    query_tables: Sequence[str],
    snapshot_tables: Sequence[str],
) -> Iterator[DltResource]:
    """`query_tables` with their declared strategy, `snapshot_tables` copied whole, in STRATEGIES order.

    Saved with this load: the newest cursor value of each cursor table copied for its first load, read before
    the copies start.
    """
    first_cursor_loads = [
        s for s in STRATEGIES if s.mode == "cursor" and s.table in query_tables and s.table not in loaded_until
    ]
    copied_until = _newest_cursor_values(credentials, first_cursor_loads)
    whole = [s.table for s in STRATEGIES if s.table in query_tables and _copied_whole(s, loaded_until)]
    reflection = _Reflection(credentials, [*whole, *snapshot_tables], snapshot_tables)
    try:
        for strategy in STRATEGIES:
            if strategy.table in query_tables:
                yield _table_resource(strategy, credentials, copy, lag_days, loaded_until, reflection)
            elif strategy.table in snapshot_tables:
                yield _table_resource(strategy, credentials, copy, lag_days, {}, reflection, whole=True)
        if copied_until:
            yield state_update("copied_until", partial(remember_copied_until, copied_until=copied_until))
    finally:
        reflection.dispose()


def _copied_whole(strategy: TableStrategy, loaded_until: dict[str, str]) -> bool:
    """Whether _table_resource copies the table whole (a replace table, or a first load)."""
    if strategy.mode == "replace":
        return True
    return (strategy.table if strategy.mode == "cursor" else strategy.parent) not in loaded_until


def _newest_cursor_values(credentials: str, strategies: Sequence[TableStrategy]) -> dict[str, date]:
    """MAX(cursor) of each table (empty tables are left out: their next run copies them again)."""
    values: dict[str, date] = {}
    if not strategies:
        return values
    with open_connection(credentials, SharedTlsConnection) as connection, connection.cursor() as cursor:
        for strategy in strategies:
            cursor.execute(f"SELECT MAX(`{strategy.cursor}`) FROM `{strategy.table}`")
            newest = as_date(cursor.fetchone()[0])
            if newest is not None:
                values[strategy.table] = newest
    return values
