"""How far each cursor table is loaded, from the mysql source's dlt state restored from the warehouse.

Two places hold it: dlt's incremental state, which the cursor loads advance, and `copied_until`, the newest cursor
value a table had when a whole copy of it started (a first load is a copy: key ranges and a memory cap, where
dlt's incremental path would hold connectorx's read-ahead of the whole table). The newer of the two counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from load.mysql.strategy import STRATEGIES, TableStrategy

COPIED_UNTIL_KEY = "copied_until"


def as_date(value: Any) -> date | None:
    """A cursor value as a date: dates as they are, datetimes and ISO text cut to the day."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def cursor_value(source_state: Mapping[str, Any], strategy: TableStrategy) -> date | None:
    """The newest cursor value loaded for a cursor table (None: never loaded)."""
    if strategy.cursor is None:
        return None
    incremental = source_state.get("resources", {}).get(strategy.table, {}).get("incremental", {})
    values = [
        as_date(incremental.get(strategy.cursor, {}).get("last_value")),
        as_date(source_state.get(COPIED_UNTIL_KEY, {}).get(strategy.table)),
    ]
    return max((value for value in values if value is not None), default=None)


def last_cursor_values(source_state: Mapping[str, Any]) -> dict[str, str]:
    """Per cursor table, the last loaded cursor value as ISO text (tables never loaded are absent)."""
    values = {}
    for strategy in STRATEGIES:
        value = cursor_value(source_state, strategy)
        if value is not None:
            values[strategy.table] = value.isoformat()
    return values


def remember_copied_until(source_state: dict[str, Any], copied_until: Mapping[str, date]) -> None:
    """Record the cursor values read before this load's whole copies (edits the state committed with the load)."""
    saved = source_state.setdefault(COPIED_UNTIL_KEY, {})
    saved.update({table: value.isoformat() for table, value in copied_until.items()})
