"""How far a cursor table is loaded (load/mysql/cursor_state.py): dlt's incremental state or the first copy's."""

from __future__ import annotations

from datetime import date
from typing import Any

from load.mysql.cursor_state import last_cursor_values, remember_copied_until


def _incremental(table: str, cursor: str, last_value: str) -> dict[str, Any]:
    return {"resources": {table: {"incremental": {cursor: {"last_value": last_value}}}}}


def test_a_first_copy_gives_the_starting_point_until_dlt_has_its_own() -> None:
    state: dict[str, Any] = {}
    assert last_cursor_values(state) == {}
    remember_copied_until(state, {"orders": date(2024, 5, 31)})
    assert last_cursor_values(state) == {"orders": "2024-05-31"}


def test_the_newer_of_dlt_state_and_the_copy_counts() -> None:
    state = _incremental("orders", "orderDate", "2024-06-02")
    remember_copied_until(state, {"orders": date(2024, 5, 31), "payments": date(2024, 6, 1)})
    assert last_cursor_values(state) == {"orders": "2024-06-02", "payments": "2024-06-01"}
