"""The dlt resources of table loads: dlt's sql_table per table with our load strategies, or a whole copy.

Imported only by runs that query or copy tables: a CDC run that only streams the binlog skips sqlalchemy and
dlt's sql_database (a fifth of a no-change run's start-up).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

import dlt
import sqlalchemy as sa
from dlt.extract.resource import DltResource
from dlt.sources.sql_database import sql_table

from load.mysql.change_rows import RAW_TABLE_HINTS
from load.mysql.cursor_state import as_date, remember_copied_until
from load.mysql.direct_copy import CopySettings, direct_copy
from load.mysql.state_resource import state_update
from load.mysql.strategy import STRATEGIES, TableStrategy

MERGE = {"disposition": "merge", "strategy": "delete-insert"}


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
    if whole:  # a CDC snapshot: the table then takes the stream's merges
        reflected = sql_table(**reflect, table_adapter_callback=_nullable_columns)
        return _whole_copy(strategy, credentials, copy, reflected, cdc=True)
    if strategy.mode == "replace":
        return _whole_copy(strategy, credentials, copy, sql_table(**reflect))

    if strategy.mode == "cursor":
        until = loaded_until.get(strategy.table)
        if until is None:  # first load: a whole copy (table_resources records its cursor value)
            return _whole_copy(strategy, credentials, copy, sql_table(**reflect))
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
    parent_until = loaded_until.get(parent.table)
    if parent_until is None:
        return _whole_copy(strategy, credentials, copy, sql_table(**reflect))
    since = date.fromisoformat(parent_until) - timedelta(days=lag_days)
    return sql_table(
        **common,
        write_disposition=MERGE,
        query_adapter_callback=_rows_of_parents_since(strategy, parent.cursor, since),
    )


def _whole_copy(
    strategy: TableStrategy,
    credentials: str,
    copy: CopySettings,
    reflected: DltResource,
    cdc: bool = False,
) -> DltResource:
    """The table copied whole, straight into the warehouse; `reflected` (dlt's sql_table, never run) gives the
    column types and hints dlt's schema keeps for it. A CDC table gets the stream's hints. In both modes the change
    log gets the rows the copy no longer finds, so a raw table shrinks only with a logged delete."""
    return direct_copy(
        credentials,
        strategy.table,
        reflected.columns,
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
    reflection = sa.create_engine(credentials)
    try:
        first_cursor_loads = [
            s for s in STRATEGIES if s.mode == "cursor" and s.table in query_tables and s.table not in loaded_until
        ]
        copied_until = _newest_cursor_values(reflection, first_cursor_loads)
        for strategy in STRATEGIES:
            if strategy.table in query_tables:
                yield _table_resource(strategy, credentials, copy, lag_days, loaded_until, reflection)
            elif strategy.table in snapshot_tables:
                yield _table_resource(strategy, credentials, copy, lag_days, {}, reflection, whole=True)
        if copied_until:
            yield state_update("copied_until", partial(remember_copied_until, copied_until=copied_until))
    finally:
        reflection.dispose()


def _newest_cursor_values(engine: sa.Engine, strategies: Sequence[TableStrategy]) -> dict[str, date]:
    """MAX(cursor) of each table (empty tables are left out: their next run copies them again)."""
    values: dict[str, date] = {}
    if not strategies:
        return values
    with engine.connect() as connection:
        for strategy in strategies:
            newest = as_date(
                connection.exec_driver_sql(f"SELECT MAX(`{strategy.cursor}`) FROM `{strategy.table}`").scalar()
            )
            if newest is not None:
                values[strategy.table] = newest
    return values
