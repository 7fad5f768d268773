"""Quoted DuckDB identifiers of the warehouse's tables."""

from __future__ import annotations


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def qualified(dataset: str, table: str) -> str:
    return f"{quote(dataset)}.{quote(table)}"
