"""DuckDB identifiers and string literals written into SQL text (names of tables and schemas, file paths)."""

from __future__ import annotations


def quote(identifier: str) -> str:
    """An identifier, double-quoted."""
    return '"' + identifier.replace('"', '""') + '"'


def qualified(dataset: str, table: str) -> str:
    return f"{quote(dataset)}.{quote(table)}"


def literal(text: str) -> str:
    """A string literal, single-quoted."""
    return "'" + text.replace("'", "''") + "'"
