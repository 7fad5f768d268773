"""The classicmodels demo generator on the real local MariaDB: shapes, determinism, day ticks, errors."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pymysql
import pytest
from sqlalchemy.engine import make_url

from demo import classicmodels
from demo.__main__ import main as demo_main
from demo.classicmodels import create_demo, day_tick
from load.errors import LoadConfigError
from source_compare import mysql_connect

pytestmark = pytest.mark.integration

STATUSES = {"Shipped", "Cancelled", "In Process", "On Hold", "Disputed", "Resolved"}
# (table, column, referenced table, referenced column): the schema's foreign keys.
FOREIGN_KEYS = [
    ("products", "productLine", "productlines", "productLine"),
    ("employees", "officeCode", "offices", "officeCode"),
    ("employees", "reportsTo", "employees", "employeeNumber"),
    ("customers", "salesRepEmployeeNumber", "employees", "employeeNumber"),
    ("orders", "customerNumber", "customers", "customerNumber"),
    ("orderdetails", "orderNumber", "orders", "orderNumber"),
    ("orderdetails", "productCode", "products", "productCode"),
    ("payments", "customerNumber", "customers", "customerNumber"),
]


@pytest.fixture
def db(admin_url: str) -> Iterator[pymysql.cursors.Cursor]:
    """An autocommit cursor on the test database, to inspect what the generator wrote."""
    with mysql_connect(admin_url) as connection, connection.cursor() as cursor:
        yield cursor


def scalar(cursor: pymysql.cursors.Cursor, sql: str, args: tuple[object, ...] | None = None) -> Any:
    cursor.execute(sql, args)
    return cursor.fetchone()[0]


def orphans(cursor: pymysql.cursors.Cursor) -> dict[str, object]:
    """Rows whose foreign key points nowhere, per key (the generator switches FK checks off for bulk loads)."""
    found = {}
    for table, column, parent, parent_column in FOREIGN_KEYS:
        count = scalar(
            cursor,
            f"SELECT COUNT(*) FROM {table} AS child LEFT JOIN {parent} AS parent"
            f" ON parent.{parent_column} = child.{column}"
            f" WHERE child.{column} IS NOT NULL AND parent.{parent_column} IS NULL",
        )
        if count:
            found[f"{table}.{column}"] = count
    return found


def checksums(cursor: pymysql.cursors.Cursor) -> dict[str, int]:
    cursor.execute(f"CHECKSUM TABLE {', '.join(classicmodels.TABLES)}")
    return {name.split(".")[-1]: checksum for name, checksum in cursor.fetchall()}


def test_sf1_has_the_sample_shapes(admin_url: str, db: pymysql.cursors.Cursor) -> None:
    counts = create_demo(admin_url)

    assert {k: counts[k] for k in ("productlines", "products", "offices", "employees")} == {
        "productlines": 7, "products": 110, "offices": 7, "employees": 23,
    }  # fmt: skip
    assert (counts["customers"], counts["orders"]) == (122, 326)
    assert 2500 <= counts["orderdetails"] <= 3500
    assert 230 <= counts["payments"] <= 320
    db.execute("SELECT DISTINCT status FROM orders")
    assert {status for (status,) in db.fetchall()} == STATUSES
    assert scalar(db, "SELECT COUNT(*) FROM employees WHERE reportsTo IS NULL AND jobTitle = 'President'") == 1
    assert scalar(db, "SELECT COUNT(*) FROM customers WHERE salesRepEmployeeNumber IS NULL") > 0
    assert scalar(db, "SELECT COUNT(*) FROM customers WHERE customerNumber NOT IN (SELECT customerNumber FROM orders)")
    assert scalar(db, "SELECT COUNT(*) FROM customers WHERE customerName LIKE '%ö%' OR customerName LIKE '%''%'")
    assert orphans(db) == {}


def test_sf1_dates_and_prices_are_plausible(admin_url: str, db: pymysql.cursors.Cursor) -> None:
    create_demo(admin_url)

    assert scalar(db, "SELECT MAX(orderDate) FROM orders") == classicmodels.LAST_HISTORY_DAY
    assert scalar(db, "SELECT DATEDIFF(MAX(orderDate), MIN(orderDate)) FROM orders") > 800
    shipped_like = "status IN ('Shipped', 'Resolved', 'Disputed')"
    assert scalar(db, f"SELECT COUNT(*) FROM orders WHERE {shipped_like} AND NOT shippedDate > orderDate") == 0
    assert scalar(db, f"SELECT COUNT(*) FROM orders WHERE NOT {shipped_like} AND shippedDate IS NOT NULL") == 0
    assert scalar(db, "SELECT COUNT(*) FROM orders WHERE requiredDate <= orderDate") == 0
    assert scalar(db, "SELECT COUNT(*) FROM orderdetails d JOIN products p USING (productCode)"
                      " WHERE d.priceEach > p.MSRP OR d.priceEach < 0.8 * p.MSRP") == 0  # fmt: skip
    paid = scalar(db, "SELECT SUM(amount) FROM payments")
    ordered = scalar(db, "SELECT SUM(quantityOrdered * priceEach) FROM orderdetails")
    assert Decimal("0.75") * ordered <= paid <= ordered


def test_same_seed_gives_the_same_content(admin_url: str, db: pymysql.cursors.Cursor) -> None:
    create_demo(admin_url, scale=0.5, seed=7)
    first = checksums(db)
    create_demo(admin_url, scale=0.5, seed=7)
    assert checksums(db) == first
    create_demo(admin_url, scale=0.5, seed=8)
    assert checksums(db)["orders"] != first["orders"]


def test_sf10_scales_the_facts_linearly(admin_url: str, db: pymysql.cursors.Cursor) -> None:
    counts = create_demo(admin_url, scale=10)

    assert (counts["products"], counts["employees"], counts["customers"], counts["orders"]) == (110, 23, 1220, 3260)
    assert 25_000 <= counts["orderdetails"] <= 35_000
    assert 2_300 <= counts["payments"] <= 3_200
    assert orphans(db) == {}


def test_a_tick_changes_a_day_of_business(admin_url: str, db: pymysql.cursors.Cursor) -> None:
    before = create_demo(admin_url)

    report = day_tick(admin_url, seed=1)

    assert report.business_day == classicmodels.LAST_HISTORY_DAY + dt.timedelta(days=1)
    assert report.new_order_numbers and report.new_order_lines > 0
    assert scalar(db, "SELECT COUNT(*) FROM orders WHERE orderDate = %s", (report.business_day,)) == len(
        report.new_order_numbers
    )
    assert scalar(db, "SELECT COUNT(*) FROM orderdetails") == before["orderdetails"] + report.new_order_lines
    assert report.status_changes
    for change in report.status_changes:
        db.execute("SELECT status, orderDate FROM orders WHERE orderNumber = %s", (change.order_number,))
        assert db.fetchone() == (change.new_status, change.order_date)
    assert report.new_payments
    for customer, check in report.new_payments:
        assert scalar(db, "SELECT paymentDate FROM payments WHERE customerNumber = %s AND checkNumber = %s",
                      (customer, check)) == report.business_day  # fmt: skip
    (price,) = report.price_changes
    assert price.new_msrp != price.old_msrp
    assert scalar(db, "SELECT MSRP FROM products WHERE productCode = %s", (price.product_code,)) == price.new_msrp
    assert report.stock_changed_products
    assert scalar(db, "SELECT COUNT(*) FROM customers") == before["customers"] + 1
    moved = report.reassigned_customer
    assert moved and moved.new_sales_rep != moved.old_sales_rep
    assert scalar(db, "SELECT salesRepEmployeeNumber FROM customers WHERE customerNumber = %s",
                  (moved.customer_number,)) == moved.new_sales_rep  # fmt: skip
    assert orphans(db) == {}


def test_ticks_advance_day_by_day_and_sometimes_delete_a_payment(admin_url: str, db: pymysql.cursors.Cursor) -> None:
    create_demo(admin_url, scale=2)

    reports = [day_tick(admin_url) for _ in range(4)]

    days = [report.business_day for report in reports]
    assert days == [classicmodels.LAST_HISTORY_DAY + dt.timedelta(days=n) for n in range(1, 5)]
    deleted = [key for report in reports for key in report.deleted_payments]
    assert deleted, "a payment is deleted every fourth business day"
    for customer, check in deleted:
        assert scalar(db, "SELECT COUNT(*) FROM payments WHERE customerNumber = %s AND checkNumber = %s",
                      (customer, check)) == 0  # fmt: skip
    assert any(report.older_status_changes for report in reports), "older orders change now and then"
    assert orphans(db) == {}


def test_the_cli_creates_and_ticks(admin_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert demo_main(["create", "--scale", "0.2", "--seed", "3", "--url", admin_url]) == 0
    assert demo_main(["tick", "--days", "2", "--url", admin_url]) == 0

    output = capsys.readouterr().out
    assert "orders 65" in output
    assert output.count("new orders") == 2


def test_both_module_names_run_the_generator(admin_url: str) -> None:
    """`python -m demo`, and its former name `python -m load.demo`, which scripts may still use."""
    for module, command in (("demo", ["create", "--scale", "0.2", "--seed", "3"]), ("load.demo", ["tick"])):
        result = subprocess.run(
            [sys.executable, "-m", module, *command, "--url", admin_url], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr[-3000:]
    assert "new orders" in result.stdout


def test_an_unreachable_server_is_one_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    url = "mysql+pymysql://someone:s3cret-pw@127.0.0.1:1/classicmodels"
    with pytest.raises(LoadConfigError, match="cannot connect") as error:
        day_tick(url)
    assert "s3cret-pw" not in str(error.value)

    assert demo_main(["tick", "--url", url]) == 2
    assert "s3cret-pw" not in capsys.readouterr().err


def test_a_tick_without_the_schema_says_to_create_it(admin_url: str) -> None:
    with pytest.raises(LoadConfigError, match="create"):
        day_tick(admin_url)


def test_ticks_work_whatever_the_database_default_collation(admin_url: str, db: pymysql.cursors.Cursor) -> None:
    """Helper tables must not mix collations with the real ones (MySQL refuses to compare two)."""
    create_demo(admin_url, scale=1, seed=5)
    # A database default unlike the tables' collation, as on a server configured otherwise.
    db.execute(f"ALTER DATABASE `{make_url(admin_url).database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci")
    report = day_tick(admin_url, seed=1)
    assert report.new_order_numbers
    assert orphans(db) == {}
