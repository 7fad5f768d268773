"""Compare raw_classicmodels in a warehouse with the MySQL source, row for row and column for column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pymysql
from dlt.common.normalizers.naming.snake_case import NamingConvention

from load.mysql.connection import open_connection

SNAKE = NamingConvention()
Row = tuple[Any, ...]


def mysql_connect(url: str) -> pymysql.connections.Connection:
    return open_connection(url, autocommit=True)


def source_columns(url: str, table: str) -> list[str]:
    with mysql_connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM `{table}` LIMIT 0")
        return [column[0] for column in cursor.description]


def source_rows(url: str, table: str, where: str = "1=1") -> set[Row]:
    with mysql_connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM `{table}` WHERE {where}")
        return {tuple(row) for row in cursor.fetchall()}


def raw_rows(warehouse: Path, url: str, table: str, where: str = "1=1") -> list[Row]:
    """Raw rows in source column order (a list, so duplicates show)."""
    columns = ", ".join(f'"{SNAKE.normalize_identifier(c)}"' for c in source_columns(url, table))
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return [
            tuple(row)
            for row in connection.execute(f"SELECT {columns} FROM raw_classicmodels.{table} WHERE {where}").fetchall()
        ]


def assert_table_equal(warehouse: Path, url: str, table: str) -> None:
    raw = raw_rows(warehouse, url, table)
    assert len(raw) == len(set(raw)), f"{table}: duplicate rows in raw"
    source = source_rows(url, table)
    assert set(raw) == source, f"{table}: {len(source - set(raw))} rows missing, {len(set(raw) - source)} extra"


def source_scalar(url: str, sql: str) -> Any:
    with mysql_connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def warehouse_scalar(warehouse: Path, sql: str) -> Any:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchone()[0]
