"""The dlt resources of table loads: dlt's sql_table per table with our load strategies, or a whole copy.

Imported only by runs that query or copy tables: a CDC run that only streams the binlog skips sqlalchemy and
dlt's sql_database (a fifth of a no-change run's start-up).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

import dlt
import sqlalchemy as sa
from dlt.extract.resource import DltResource
from dlt.sources.sql_database import sql_table

from load.mysql.direct_copy import CopySettings, direct_copy
from load.mysql.state_resource import state_update
from load.mysql.strategy import STRATEGIES, TableStrategy
from load.mysql.unchanged_tables import remember_checksums, source_checksums, unchanged

log = logging.getLogger("load.mysql")

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


def table_resources(
    credentials: str,
    copy: CopySettings,
    lag_days: int,
    loaded_until: dict[str, str],
    query_tables: Sequence[str],
    snapshot_tables: Sequence[str],
    copied_checksums: Mapping[str, int],
) -> Iterator[DltResource]:
    """`query_tables` with their declared strategy, `snapshot_tables` copied whole, in STRATEGIES order.

    Replace tables whose source checksum equals the one saved with their last copy are left out
    (unchanged_tables.py); the checksums of the ones copied are saved with this load.
    """
    reflection = sa.create_engine(credentials)
    try:
        replace_tables = [s.table for s in STRATEGIES if s.mode == "replace" and s.table in query_tables]
        checksums = source_checksums(reflection, replace_tables)
        skipped = {table for table in replace_tables if unchanged(table, checksums, copied_checksums)}
        if skipped:
            log.info(
                "mysql: unchanged since their last copy (CHECKSUM TABLE), not copied: %s", ", ".join(sorted(skipped))
            )
        for strategy in STRATEGIES:
            if strategy.table in query_tables and strategy.table not in skipped:
                yield _table_resource(strategy, credentials, copy, lag_days, loaded_until, reflection)
            elif strategy.table in snapshot_tables:
                yield _table_resource(strategy, credentials, copy, lag_days, {}, reflection, whole=True)
        copied = {table: checksum for table, checksum in checksums.items() if table not in skipped}
        if copied:
            yield state_update("copied_checksums", partial(remember_checksums, checksums=copied))
    finally:
        reflection.dispose()
