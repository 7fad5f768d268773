"""Replace-strategy tables that have not changed since their last copy are not copied again.

Cursor mode copies its reference tables whole on every run (that is how it sees their updates and deletes);
at 10M order lines `customers` alone is ~417k rows, most of a run with nothing new. MariaDB's `CHECKSUM TABLE`
(a CRC of every row, computed by the server; needs only SELECT) tells whether a table changed since the
checksum saved with its last copy, for a fraction of the copy's time (customers at 10M: 0.27 s against ~1 s).

The checksum is read *before* the copy and committed with it, in the same dlt load: a change made while the
copy runs leaves a saved checksum that no longer matches, so the next run copies again. A checksum holds only
while the copy is the last thing that wrote the table: CDC loads forget the checksums of the tables they feed
(`forget_checksums`). A table whose checksum the server cannot give (NULL) is always copied.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a CDC run with no table to query never imports sqlalchemy (see table_resources.py)
    import sqlalchemy as sa

STATE_KEY = "copied_checksums"


def source_checksums(engine: sa.Engine, tables: Sequence[str]) -> dict[str, int | None]:
    """`CHECKSUM TABLE` of each table, in one statement."""
    if not tables:
        return {}
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("CHECKSUM TABLE " + ", ".join(f"`{table}`" for table in tables))
        # The server names each table `database.table`.
        checksums = {str(name).rsplit(".", 1)[-1]: value for name, value in rows}
    return {table: checksums.get(table) for table in tables}


def saved_checksums(source_state: Mapping[str, Any]) -> dict[str, int]:
    return dict(source_state.get(STATE_KEY, {}))


def unchanged(table: str, current: Mapping[str, int | None], saved: Mapping[str, int]) -> bool:
    checksum = current.get(table)
    return checksum is not None and saved.get(table) == checksum


def remember_checksums(source_state: dict[str, Any], checksums: Mapping[str, int | None]) -> None:
    """Save the checksums of the tables this load copied (edits the state committed with the load)."""
    saved = source_state.setdefault(STATE_KEY, {})
    for table, checksum in checksums.items():
        if checksum is None:
            saved.pop(table, None)
        else:
            saved[table] = checksum


def forget_checksums(source_state: dict[str, Any], tables: Sequence[str]) -> None:
    """These tables are now written by something other than a whole copy: their next copy must happen."""
    saved = source_state.get(STATE_KEY, {})
    for table in tables:
        saved.pop(table, None)
