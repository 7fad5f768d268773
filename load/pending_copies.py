"""Whole-table copies become visible together, and only with the load that commits their state.

A whole copy (load/mysql/direct_copy.py) is written during extract, before dlt's load step commits the run's
state. Written straight under the raw table's name, a run that failed half-way (the source stopped after four of
eight tables) would leave those four tables replaced and the rest missing or older: dbt would build on a mix.
So a copy is written under a pending name that carries its load id, and after the load commits (dlt's
`_dlt_loads` row is the commit mark), one DuckDB transaction renames every pending copy of it over its raw table.

A run that dies after the commit but before the rename (kill -9) leaves committed pending copies: the next run
publishes them before it reads any state, so state and data stay together. Pending copies of a load that never
committed are dropped. Renames are catalogue changes, so publishing costs nothing like a second copy.

Rows a copy adds to another raw table (the deletes it finds, logged in the change log) wait the same way, in a
pending rows table of their load, appended to that table when the load commits, dropped when it never does.
"""

from __future__ import annotations

from typing import Any

from load.duckdb_transaction import in_transaction
from load.sql_names import quote
from load.warehouse_catalog import table_columns, table_names

PENDING_PREFIX = "_pending_"  # every table waiting for its load to commit
COPY_KIND = "copy"  # a whole copy: replaces its raw table
ROWS_KIND = "rows"  # rows appended to their raw table
LOADS_TABLE = "_dlt_loads"
LOAD_COMMITTED = 0  # dlt's `_dlt_loads.status` of a completed load


def pending_name(table: str, load_id: str, kind: str = COPY_KIND) -> str:
    """The name a copy of `table` (a normalized identifier), or with `kind` ROWS_KIND rows to append to it, are
    written under until load `load_id` commits."""
    return f"{PENDING_PREFIX}{kind}__{load_id.replace('.', '_')}__{table}"


def _parse(name: str) -> tuple[str, str, str] | None:
    """(kind, load id, table) of a pending table's name, or None for any other table."""
    kind, _, rest = name.removeprefix(PENDING_PREFIX).partition("__")
    if not name.startswith(PENDING_PREFIX) or kind not in (COPY_KIND, ROWS_KIND):
        return None
    token, _, table = rest.partition("__")
    return (kind, token.replace("_", ".", 1), table) if table else None


def settle_pending_copies(client: Any) -> list[str]:
    """Publish what committed loads left pending (copies over their raw tables, rows appended to theirs), drop what
    loads that never committed left; all in one transaction. `client` is dlt's SQL client of the dataset. Returns
    the tables published."""
    connection = client.native_connection
    pending = {
        name: parsed for name in table_names(connection, client.dataset_name) if (parsed := _parse(name)) is not None
    }
    if not pending:
        return []
    committed = _committed_loads(client, {load_id for _, load_id, _ in pending.values()})
    newest: dict[str, str] = {}  # per table, the newest committed copy
    appended: list[tuple[str, str]] = []  # (table, pending rows), oldest load first
    for name, (kind, load_id, table) in sorted(pending.items(), key=lambda item: item[1][1]):
        if load_id in committed and kind == COPY_KIND:
            newest[table] = name
        elif load_id in committed:
            appended.append((table, name))
    qualified = client.make_qualified_table_name
    with in_transaction(connection):
        for name in set(pending) - set(newest.values()) - {name for _, name in appended}:
            connection.execute(f"DROP TABLE {qualified(name)}")
        for table, name in sorted(newest.items()):
            _keep_dropped_columns(client, table, name)
            connection.execute(f"DROP TABLE IF EXISTS {qualified(table)}")
            connection.execute(f"ALTER TABLE {qualified(name)} RENAME TO {quote(table)}")
        for table, name in appended:
            connection.execute(f"INSERT INTO {qualified(table)} BY NAME SELECT * FROM {qualified(name)}")
            connection.execute(f"DROP TABLE {qualified(name)}")
    return sorted(set(newest) | {table for table, _ in appended})


def _keep_dropped_columns(client: Any, table: str, copy: str) -> None:
    """Columns the raw table has and the copy lacks (dropped at the source) stay in raw, NULL in the copy's rows:
    history keeps them, and dlt's schema, which never forgets a column, keeps matching the table."""
    connection, dataset = client.native_connection, client.dataset_name
    old, new = table_columns(connection, dataset, table), table_columns(connection, dataset, copy)
    for column, data_type in old.items():
        if column not in new:
            connection.execute(
                f"ALTER TABLE {client.make_qualified_table_name(copy)} ADD COLUMN {quote(column)} {data_type}"
            )


def _committed_loads(client: Any, load_ids: set[str]) -> set[str]:
    connection = client.native_connection
    if LOADS_TABLE not in table_names(connection, client.dataset_name):
        return set()
    rows = connection.execute(
        f"SELECT load_id FROM {client.make_qualified_table_name(LOADS_TABLE)}"
        " WHERE status = ? AND list_contains(?, load_id)",
        [LOAD_COMMITTED, sorted(load_ids)],
    ).fetchall()
    return {load_id for (load_id,) in rows}
