"""Which binlog statements force a re-copy of a watched table (pure unit tests, no server)."""

from __future__ import annotations

import pytest

from load.mysql.binlog_reader import DDL_STATEMENT


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE orders ADD COLUMN c int",
        "/* client */ TRUNCATE payments",
        "  drop table products",
        "RENAME TABLE a TO b",
    ],
)
def test_ddl_statements_are_recognised(statement: str) -> None:
    assert DDL_STATEMENT.match(statement)


@pytest.mark.parametrize(
    "statement", ["ANALYZE TABLE orders", "GRANT SELECT ON classicmodels.orders TO x", "OPTIMIZE TABLE products"]
)
def test_maintenance_statements_do_not_force_a_recopy(statement: str) -> None:
    assert not DDL_STATEMENT.match(statement)
