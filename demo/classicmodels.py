"""The classicmodels demo shop: `python -m demo create|tick`.

`create` (re)builds the MySQL sample schema `classicmodels` and fills it with deterministic data for a seed and
scale factor (SF1 is about the size of the original sample; customers, orders, lines and payments grow linearly).
`tick` simulates the next business day (the day after the last order date).

Targets MariaDB: bulk rows come from its sequence engine (`seq_1_to_N`), which MySQL 8 lacks; the other SQL is
valid MySQL 8 too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import time
from pathlib import Path

from pymysql.connections import Connection
from pymysql.cursors import Cursor

from demo import mysql_admin
from demo.classicmodels_bulk import (
    insert_customers,
    insert_history_orders,
    insert_history_payments,
    insert_order_lines,
)
from demo.classicmodels_dimensions import insert_dimensions
from demo.classicmodels_tick import INACTIVE_CUSTOMER_SHARE, TickReport, simulate_day
from load.errors import LoadConfigError

__all__ = ["TABLES", "TickReport", "add_commands", "create_demo", "day_tick", "row_counts"]

log = logging.getLogger("demo")

SCHEMA_SQL = Path(__file__).with_name("classicmodels_schema.sql")
TABLES = ("productlines", "products", "offices", "employees", "customers", "orders", "orderdetails", "payments")
CUSTOMERS_PER_SF = 122
ORDERS_PER_SF = 326
FIRST_CUSTOMER_NUMBER = 103
FIRST_ORDER_NUMBER = 10100
# The history ends on a fixed "current business day" so that a seed and scale always give the same data.
LAST_HISTORY_DAY = dt.date(2005, 5, 31)


def create_demo(url: str, scale: float = 1, seed: int = 42) -> dict[str, int]:
    """Drop and recreate the classicmodels tables in the URL's database and fill them; row counts per table."""
    if scale <= 0:
        raise LoadConfigError(f"--scale must be positive, not {scale}")
    connection = mysql_admin.connect(url, create_database=True)
    with connection, mysql_admin.lock_timeouts_as_config_errors():
        _create_schema(connection)
        with _transaction(connection) as cursor:
            _fill(cursor, scale, seed)
        return row_counts(connection)


def day_tick(url: str, seed: int | None = None) -> TickReport:
    """Simulate the next business day in one transaction; what changed."""
    connection = mysql_admin.connect(url)
    with connection, mysql_admin.lock_timeouts_as_config_errors(), _transaction(connection) as cursor:
        return simulate_day(cursor, seed)


def row_counts(connection: Connection) -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
        return counts


def _create_schema(connection: Connection) -> None:
    statements = [part.strip() for part in _without_comments(SCHEMA_SQL.read_text()).split(";\n")]
    with connection.cursor() as cursor:
        for statement in filter(None, statements):
            cursor.execute(statement)


def _without_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))


def _fill(cursor: Cursor, scale: float, seed: int) -> None:
    # Every key is generated consistent; checking 3M order lines one by one costs a quarter of the time.
    # The tests check the foreign keys with orphan queries instead.
    cursor.execute("SET SESSION foreign_key_checks = 0")
    try:
        _insert_rows(cursor, scale, seed)
    finally:
        cursor.execute("SET SESSION foreign_key_checks = 1")


def _insert_rows(cursor: Cursor, scale: float, seed: int) -> None:
    insert_dimensions(cursor, seed)
    customer_count = max(1, round(CUSTOMERS_PER_SF * scale))
    order_count = max(1, round(ORDERS_PER_SF * scale))
    insert_customers(cursor, seed, FIRST_CUSTOMER_NUMBER, customer_count, INACTIVE_CUSTOMER_SHARE)
    insert_history_orders(cursor, seed, order_count, FIRST_ORDER_NUMBER, LAST_HISTORY_DAY)
    insert_order_lines(cursor, seed, FIRST_ORDER_NUMBER, FIRST_ORDER_NUMBER + order_count - 1)
    insert_history_payments(cursor, seed, LAST_HISTORY_DAY)


class _transaction:
    """A cursor whose statements commit together, or roll back on any error."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def __enter__(self) -> Cursor:
        self._connection.begin()
        self._cursor = self._connection.cursor()
        return self._cursor

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        self._cursor.close()
        if error_type is None:
            self._connection.commit()
        else:
            self._connection.rollback()


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register `create` and `tick` on the `python -m demo` subcommands."""
    create = subparsers.add_parser("create", help="(re)create the classicmodels schema and fill it")
    create.add_argument("--scale", type=float, default=1, help="scale factor: SF1 ~ 326 orders (default 1)")
    create.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    _add_url_argument(create)
    create.set_defaults(handler=_create_command)

    tick = subparsers.add_parser("tick", help="simulate the next business day(s) of the demo shop")
    tick.add_argument("--days", type=int, default=1, help="business days to simulate (default 1)")
    tick.add_argument("--seed", type=int, default=None, help="random seed (default: fixed by the day)")
    _add_url_argument(tick)
    tick.set_defaults(handler=_tick_command)


def _add_url_argument(parser: argparse.ArgumentParser) -> None:
    default = f"dlt {mysql_admin.ADMIN_CREDENTIALS_KEY}"
    parser.add_argument("--url", default=None, help=f"SQLAlchemy URL of an admin user (default: {default})")


def _create_command(args: argparse.Namespace) -> None:
    url = mysql_admin.admin_url(args.url)
    started = time.perf_counter()
    counts = create_demo(url, scale=args.scale, seed=args.seed)
    database = mysql_admin.parse_url(url).database
    print(f"created classicmodels in `{database}` at SF {args.scale:g} (seed {args.seed}) "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    print("  " + ", ".join(f"{table} {count:,}" for table, count in counts.items()))


def _tick_command(args: argparse.Namespace) -> None:
    if args.days < 1:
        raise LoadConfigError(f"--days must be at least 1, not {args.days}")
    url = mysql_admin.admin_url(args.url)
    for _ in range(args.days):
        started = time.perf_counter()
        report = day_tick(url, seed=args.seed)
        print(f"{report.summary()} [{time.perf_counter() - started:.1f} s]")
