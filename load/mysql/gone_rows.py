"""Rows raw had that a new whole copy no longer has, logged as deletes in `_changes`.

The stream logs every delete it reads, but a copy can drop rows whose deletes it never read: a TRUNCATE (no row
events), deletes in a purged binlog before `--resnapshot`. Logging them keeps one rule true for everything
downstream: a raw table shrinks only with a matching delete in the change log. Cursor mode's whole copies
(customers, employees, products each run) log theirs too, the only deletes that mode sees.

Like the copy itself, the logged deletes wait under a pending name until the copy's load commits
(load/pending_copies.py): a run that fails or is killed after the copy logs nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from load.mysql.change_rows import CHANGES_COLUMNS, CHANGES_TABLE
from load.mysql.raw_columns import LOAD_ID_COLUMN
from load.pending_copies import ROWS_KIND, pending_name
from load.warehouse_catalog import table_columns

log = logging.getLogger("load.mysql")

SNAPSHOT_STREAM_ID = "snapshot"  # `_changes.stream_id` of deletes a copy found, not the binlog


def log_gone_rows(client: Any, table: str, old: str, new: str, key: Sequence[tuple[str, str]], load_id: str) -> int:
    """Log the rows of table `old` whose key (source name, raw name) `new` lacks; how many there were.

    `primary_key` is spelled as the stream spells it (source names); `before` is the raw row (raw names);
    `binlog_file` names the load and table, `row_index` counts the rows."""
    connection = client.native_connection
    key_json = ", ".join(f"'{source}', gone.\"{raw}\"" for source, raw in key)
    matches = " AND ".join(f'kept."{raw}" = gone."{raw}"' for _, raw in key)
    gone_rows = f"FROM {old} AS gone WHERE NOT EXISTS (SELECT 1 FROM {new} AS kept WHERE {matches})"
    if not connection.execute(f"SELECT EXISTS (SELECT 1 {gone_rows})").fetchone()[0]:
        return 0
    changes = _changes_table(client)
    pending = client.make_qualified_table_name(pending_name(CHANGES_TABLE, load_id, ROWS_KIND))
    connection.execute(f"CREATE TABLE IF NOT EXISTS {pending} AS SELECT * FROM {changes} LIMIT 0")
    logged = connection.execute(
        f"INSERT INTO {pending} BY NAME "
        f"SELECT '{SNAPSHOT_STREAM_ID}' AS stream_id, '{load_id}:{table}' AS binlog_file, 0 AS binlog_pos,"
        " row_number() OVER () AS row_index,"
        f" '{table}' AS table_name, 'delete' AS operation, json_object({key_json}) AS primary_key,"
        " to_json(gone) AS before, NULL AS after, now() AS committed_at,"
        f" '{load_id}' AS _dlt_load_id, md5('{load_id}:{table}:' || row_number() OVER ()) AS _dlt_id"
        f" {gone_rows}"
    ).fetchone()
    count = int(logged[0]) if logged else 0
    if count:
        log.warning(
            "mysql: %s: %d rows raw had are gone from the new copy (deleted where no binlog was read): logged as "
            "deletes in %s",
            table,
            count,
            CHANGES_TABLE,
        )
    return count


def _changes_table(client: Any) -> str:
    """The change log's qualified name; created as dlt would create it when no stream load has
    yet (always so in cursor mode)."""
    name = client.make_qualified_table_name(CHANGES_TABLE)
    if not table_columns(client.native_connection, client.dataset_name, CHANGES_TABLE):
        type_mapper = client.capabilities.get_type_mapper()
        columns = {**CHANGES_COLUMNS, LOAD_ID_COLUMN: {"data_type": "text", "nullable": False}, "_dlt_id": {}}
        definitions = []
        for column, hints in columns.items():
            data_type = type_mapper.to_destination_type({"data_type": "text", **hints, "name": column}, {"name": name})
            definitions.append(f'"{column}" {data_type}' + ("" if hints.get("nullable", True) else " NOT NULL"))
        client.native_connection.execute(f"CREATE TABLE {name} ({', '.join(definitions)})")
    return name
