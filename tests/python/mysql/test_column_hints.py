"""Column hints read from information_schema (load/mysql/column_hints.py) equal dlt's own SQLAlchemy reflection, on
real MariaDB: for every classicmodels table, and for a table of every MySQL type they map."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from dlt.sources.sql_database import sql_table

from demo.classicmodels import create_demo
from load.mysql.column_hints import column_hints
from load.mysql.strategy import TABLES
from load.mysql.table_resources import _nullable_columns
from source_compare import mysql_connect

EVERY_MAPPED_TYPE = """
CREATE TABLE every_type (
    id BIGINT UNSIGNED NOT NULL PRIMARY KEY, small SMALLINT, tiny TINYINT(1) NOT NULL, medium MEDIUMINT, plain INT,
    amount DECIMAL(18, 4) NOT NULL, wide NUMERIC(30), code CHAR(3), label VARCHAR(20),
    note TEXT, body LONGTEXT, doc JSON, colour ENUM('red', 'blue'), flags SET('a', 'b'), raw BINARY(4),
    data BLOB, day DATE, at DATETIME(3), stamped TIMESTAMP NULL, clock TIME
)
"""

UNMAPPED_TYPES = "CREATE TABLE odd_type (id INT PRIMARY KEY, bits BIT(3), made YEAR, ratio FLOAT, measure DOUBLE)"


def reflected(url: str, table: str, cdc: bool) -> dict[str, object]:
    engine = sa.create_engine(url)
    try:
        adapter = {"table_adapter_callback": _nullable_columns} if cdc else {}
        resource = sql_table(credentials=engine, table=table, backend="connectorx", reflection_level="full", **adapter)
        return dict(resource.columns)
    finally:
        engine.dispose()


@pytest.mark.parametrize("cdc", [False, True], ids=["copy", "cdc_copy"])
def test_hints_equal_dlt_reflection(admin_url: str, loader_url: str, cdc: bool) -> None:
    create_demo(admin_url, scale=0.01, seed=1)
    with mysql_connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute(EVERY_MAPPED_TYPE)
        cursor.execute(UNMAPPED_TYPES)
    tables = [*TABLES, "every_type", "odd_type"]
    hints = column_hints(loader_url, tables, all_nullable=cdc)
    assert "odd_type" not in hints  # an unmapped type: the copy reflects it the SQLAlchemy way
    for table in tables[:-1]:
        expected = reflected(loader_url, table, cdc)
        assert hints[table] == expected, table
        assert list(hints[table]) == list(expected), table  # column order too
