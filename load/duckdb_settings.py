"""DuckDB settings changed for one piece of work and put back afterwards: dlt's own statements on the same
database (its merges, its state) expect the settings it had."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def settings_for_a_while(connection: Any, wanted: dict[str, Any]) -> Iterator[None]:
    """`wanted` (setting name -> value) on `connection` inside the block, the values it had before after it."""
    before = {name: connection.execute(f"SELECT current_setting('{name}')").fetchone()[0] for name in wanted}
    _apply(connection, wanted)
    try:
        yield
    finally:
        _apply(connection, before)


def _apply(connection: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        connection.execute(f"SET {name} = {value!r}" if isinstance(value, str) else f"SET {name} = {value}")
