"""DuckDB settings changed for one piece of work and put back afterwards: dlt's own statements on the same
database (its merges, its state) expect the settings it had."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def settings_for_a_while(connection: Any, wanted: dict[str, Any]) -> Iterator[None]:
    """`wanted` (setting name -> value) on `connection` inside the block, the values it had before after it."""
    changed: dict[str, Any] = {}  # the settings set so far, with their old values
    try:
        for name, value in wanted.items():
            old = connection.execute(f"SELECT current_setting('{name}')").fetchone()[0]
            _set(connection, name, value)
            changed[name] = old
        yield
    finally:
        for name, old in changed.items():
            _set(connection, name, old)


def _set(connection: Any, name: str, value: Any) -> None:
    connection.execute(f"SET {name} = {value!r}" if isinstance(value, str) else f"SET {name} = {value}")
