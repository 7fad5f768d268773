"""What the warehouse's catalogue says about a schema's tables: their names and their columns' DuckDB types."""

from __future__ import annotations

from typing import Any

_CURRENT = "table_catalog = current_database() AND table_schema = ?"


def table_columns(connection: Any, schema: str, table: str) -> dict[str, str]:
    """A table's columns and types, in table order (empty when there is no such table)."""
    rows = connection.execute(
        f"SELECT column_name, data_type FROM information_schema.columns WHERE {_CURRENT} AND table_name = ?"
        " ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()
    return dict(rows)


def tables_columns(connection: Any, schema: str) -> dict[str, dict[str, str]]:
    """Every table of the schema and its columns' types, in table order."""
    rows = connection.execute(
        f"SELECT table_name, column_name, data_type FROM information_schema.columns WHERE {_CURRENT}"
        " ORDER BY table_name, ordinal_position",
        [schema],
    ).fetchall()
    tables: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, {})[column] = data_type
    return tables


def table_names(connection: Any, schema: str) -> set[str]:
    rows = connection.execute(f"SELECT table_name FROM information_schema.tables WHERE {_CURRENT}", [schema]).fetchall()
    return {name for (name,) in rows}
