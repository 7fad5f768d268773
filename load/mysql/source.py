"""dlt source for the classicmodels MySQL database: table loads (table_resources.py) and the binlog stream."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from load.mysql.state_resource import state_update
from load.mysql.strategy import TABLES


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
    if update_state is not None:
        yield state_update("state_update", update_state)
    if query_tables or snapshot_tables:
        from load.mysql.direct_copy import CopySettings
        from load.mysql.table_resources import table_resources

        copy = CopySettings(batch_size=batch_size, memory_limit=copy_memory_limit)
        yield from table_resources(credentials, copy, lag_days, loaded_until or {}, query_tables, snapshot_tables)
    if stream is not None:
        yield stream
