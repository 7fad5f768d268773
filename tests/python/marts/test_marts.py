"""Marts end to end on the real local MariaDB: demo shop → load → dbt build, then three day ticks (incremental runs).

One pipeline per loader mode (≈1 min each), module-scoped: the tests read the warehouse states it recorded along
the way. In "cdc" mode (binlog, the loader's default) raw equals the source exactly, so the marts reconcile with
MySQL to the cent, deleted payments and status changes of old orders included. In "cursor" mode the loader re-reads
only its lag window: changes to older rows (an old order's status, a deleted payment) stay unseen by design.
"""

from __future__ import annotations

import inspect
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from demo.classicmodels import TickReport, create_demo, day_tick
from demo.classicmodels_tick import StatusChange
from isolated_run import DBT, isolated_env, run_checked
from load.local_services import mysql_url
from load.mysql.source import mysql as mysql_source
from load.mysql.strategy import TABLES
from local_mysql import admin_connection, private_database
from source_compare import assert_table_equal, source_scalar

LOADER_MODES = ("cdc", "cursor")  # env SOURCES__MYSQL__MODE
# One tick per seed, on business days 2005-06-01..03 (the demo history ends 2005-05-31; what a tick does depends
# on the day): the second resolves the oldest dispute and the third disputes a 1-3 month old order (status changes
# outside the lag window) and deletes (bounces) an old payment.
TICK_SEEDS = (1, 2, 3)
# Totals compared between MySQL and the marts (expected_figures / mart_figures), in this order.
FIGURES = (
    "sales",
    "orders",
    "lines",
    "payments",
    "payment_count",
    "days_to_ship",
    "shipped_sales",
    "disputed_orders",
    "sales_by_day",
)
# Everything the sales, payments and inventory marts need (seeds, snapshots, staging), and their tests.
MARTS = [
    "path:models/staging/classicmodels",
    *(f"+path:models/marts/{area}" for area in ("core", "sales", "finance", "inventory")),
]
# The incremental fct_order_lines and the facts built from it: after the day ticks, each must equal a
# --full-refresh build (the tables among them are rebuilt either way; they check what they read).
FACTS = {
    "fct_order_lines": "order_number, product_code",
    "fct_payments": "customer_number, check_number",
    "fct_orders": "order_number",
    "agg_sales_daily": "sales_date, grouping_level, category, sub_category, brand",
    "fct_customer_balances": "customer_number, balance_date",
}


@dataclass
class Pipeline:
    mode: str  # loader mode, [sources.mysql] mode
    loader_url: str
    workdir: Path
    ticks: list[TickReport] = field(default_factory=list)
    # month_end_date -> product_code -> quantity_in_stock, after the initial build and after each tick
    month_end_stock: list[dict[Any, dict[str, int]]] = field(default_factory=list)

    @property
    def warehouse(self) -> Path:
        return self.workdir / "w.duckdb"

    def env(self) -> dict[str, str]:
        # No silent fallback to cursor mode: a server that cannot feed CDC fails the cdc run.
        return isolated_env(
            self.workdir,
            SOURCES__MYSQL__CREDENTIALS=self.loader_url,
            SOURCES__MYSQL__MODE=self.mode,
            SOURCES__MYSQL__CDC_FALLBACK="false",
        )

    def load(self) -> None:
        run_checked([sys.executable, "-m", "load", "run", "mysql"], self.env(), timeout=300)

    def dbt_build(self, *extra: str) -> None:
        run_checked(dbt_build_command(*extra), self.env())

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(sql).fetchall()

    def record_month_end_stock(self) -> None:
        stock: dict[Any, dict[str, int]] = {}
        for month_end, product, quantity in self.query(
            "SELECT month_end_date, product_code, quantity_in_stock FROM marts.fct_inventory_monthly"
        ):
            stock.setdefault(month_end, {})[product] = quantity
        self.month_end_stock.append(stock)


def dbt_build_command(*extra: str) -> list[str]:
    return [DBT, "build", "--indirect-selection", "cautious", "--select", *MARTS, *extra]


@pytest.fixture(scope="module", params=LOADER_MODES)
def pipeline(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    mode: str = request.param
    workdir = tmp_path_factory.mktemp(f"marts_{mode}")
    with private_database("cm_marts") as database:
        admin_url = mysql_url("MARIADB_ADMIN_USER", "MARIADB_ADMIN_PASSWORD", database)
        run = Pipeline(mode, mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD", database), workdir)
        create_demo(admin_url, scale=1, seed=7)
        run.load()
        run.dbt_build()
        run.record_month_end_stock()
        for seed in TICK_SEEDS:
            run.ticks.append(day_tick(admin_url, seed=seed))
            run.load()
            run.dbt_build()  # incremental fct_order_lines / fct_payments, new snapshot versions
            run.record_month_end_stock()
        yield run
    shutil.rmtree(workdir, ignore_errors=True)


def test_day_ticks_add_product_versions_on_the_business_calendar(pipeline: Pipeline) -> None:
    first_tick = pipeline.ticks[0]
    changed = first_tick.price_changes[0]
    versions = pipeline.query(f"""
        SELECT buy_price, valid_from, valid_to, is_current FROM marts.dim_products
        WHERE product_code = '{changed.product_code}' ORDER BY valid_from""")
    assert len(versions) >= 2, versions
    assert (
        len(
            pipeline.query(f"""
        SELECT 1 FROM snapshots.snp_classicmodels__products WHERE product_code = '{changed.product_code}'""")
        )
        >= 2
    )
    first, second = versions[0], versions[1]
    assert first[0] == changed.old_buy_price and str(first[1]) == "1900-01-01 00:00:00"
    # The state captured after business day D is in force from D + 1.
    assert second[0] == changed.new_buy_price
    assert second[1].date() == first_tick.business_day.fromordinal(first_tick.business_day.toordinal() + 1)
    assert first[2] == second[1], "versions must be contiguous"
    assert versions[-1][2].year == 9999 and versions[-1][3]


def test_month_end_stock_changes_with_the_ticks(pipeline: Pipeline) -> None:
    initial, *after_ticks = pipeline.month_end_stock
    before_last, after_last = after_ticks[-2:]
    last_tick = pipeline.ticks[-1]
    last_history_month = max(initial)
    tick_month = max(after_ticks[0])
    assert tick_month > last_history_month, "the first tick opens a new month"
    # History months keep their stock; the tick month carries the ticks' stock changes.
    assert after_last[last_history_month] == initial[last_history_month]
    moved = set(last_tick.stock_changed_products)
    assert moved and all(after_last[tick_month][p] != before_last[tick_month][p] for p in moved)
    # The newest month end equals the stock in MySQL now.
    for product in moved:
        assert after_last[tick_month][product] == source_scalar(
            pipeline.loader_url, f"SELECT quantityInStock FROM products WHERE productCode = '{product}'"
        )


def test_the_ticks_change_old_orders_and_delete_a_payment(pipeline: Pipeline) -> None:
    """The cases cursor and CDC mode part on (TICK_SEEDS picks the days): without them the tests prove less."""
    assert any(tick.older_status_changes for tick in pipeline.ticks)
    assert any(tick.deleted_payments for tick in pipeline.ticks)


def test_cdc_raw_and_marts_reconcile_with_mysql_to_the_cent(pipeline: Pipeline) -> None:
    if pipeline.mode != "cdc":
        pytest.skip("cursor mode keeps older changes unseen: test_cursor_marts_reconcile_inside_the_lag_window")
    for table in TABLES:
        assert_table_equal(pipeline.warehouse, pipeline.loader_url, table)
    expected = expected_figures(pipeline.loader_url, unseen_orders=[])
    assert mart_figures(pipeline, unseen_orders=[]) == expected
    # Deleted payments are gone, and the old orders carry their new status.
    deleted = [payment for tick in pipeline.ticks for payment in tick.deleted_payments]
    assert not pipeline.query(f"SELECT 1 FROM marts.fct_payments WHERE {is_one_of(deleted)}")
    for number, status in latest_older_statuses(pipeline).items():
        assert pipeline.query(f"SELECT order_status FROM marts.fct_orders WHERE order_number = {number}") == [
            (status.new_status,)
        ]
    assert_sales_by_product_line_reconcile(pipeline)


def test_cursor_marts_reconcile_inside_the_lag_window(pipeline: Pipeline) -> None:
    if pipeline.mode != "cursor":
        pytest.skip("CDC mode reconciles exactly: test_cdc_raw_and_marts_reconcile_with_mysql_to_the_cent")
    older = latest_older_statuses(pipeline)
    deleted = [payment for tick in pipeline.ticks for payment in tick.deleted_payments]
    expected = expected_figures(pipeline.loader_url, unseen_orders=list(older))
    # A deleted payment stays in raw (the cursor never re-reads a payment older than the window), so it stays in
    # the marts: they hold MySQL's payments plus the deleted ones.
    ((deleted_count, deleted_amount),) = pipeline.query(
        f"SELECT COUNT(*), SUM(amount) FROM marts.fct_payments WHERE {is_one_of(deleted)}"
    )
    assert deleted_count == len(deleted)
    expected["payments"] += deleted_amount
    expected["payment_count"] += deleted_count
    assert mart_figures(pipeline, unseen_orders=list(older)) == expected
    # Status changes of orders older than the window are unseen: the marts keep the status the loader read.
    for number, status in older.items():
        assert pipeline.query(f"SELECT order_status FROM marts.fct_orders WHERE order_number = {number}") == [
            (status.old_status,)
        ]
    assert_sales_by_product_line_reconcile(pipeline)


def is_one_of(payments: list[tuple[int, str]]) -> str:
    """SQL condition on fct_payments: the row is one of these (customer_number, check_number) payments."""
    pairs = ", ".join(f"'{customer}/{check}'" for customer, check in [(0, ""), *payments])
    return f"customer_number || '/' || check_number IN ({pairs})"


def latest_older_statuses(pipeline: Pipeline) -> dict[int, StatusChange]:
    """Orders whose status changed outside the lag window -> the change (the first, for its old status, with the
    latest new status); orders that also changed inside the window are left out (the cursor saw those)."""
    changes: dict[int, StatusChange] = {}
    seen_in_window = {c.order_number for tick in pipeline.ticks for c in tick.status_changes if not c.outside_window}
    for tick in pipeline.ticks:
        for change in tick.older_status_changes:
            first = changes.get(change.order_number, change)
            changes[change.order_number] = StatusChange(
                change.order_number, change.order_date, first.old_status, change.new_status, True
            )
    return {number: change for number, change in changes.items() if number not in seen_in_window}


def expected_figures(url: str, unseen_orders: list[int]) -> dict[str, Any]:
    """Totals in MySQL; status-dependent ones leave out unseen_orders (their status changed outside the window)."""
    unseen = "(" + ", ".join(map(str, [0, *unseen_orders])) + ")"
    figures = {
        "sales": source_scalar(url, "SELECT SUM(quantityOrdered * priceEach) FROM orderdetails"),
        "orders": source_scalar(url, "SELECT COUNT(*) FROM orders"),
        "lines": source_scalar(url, "SELECT COUNT(*) FROM orderdetails"),
        "payments": source_scalar(url, "SELECT SUM(amount) FROM payments"),
        "payment_count": source_scalar(url, "SELECT COUNT(*) FROM payments"),
        "days_to_ship": source_scalar(
            url, f"SELECT SUM(DATEDIFF(shippedDate, orderDate)) FROM orders WHERE orderNumber NOT IN {unseen}"
        ),
        "shipped_sales": source_scalar(
            url,
            "SELECT SUM(d.quantityOrdered * d.priceEach) FROM orderdetails d JOIN orders o USING (orderNumber)"
            f" WHERE o.status = 'Shipped' AND o.orderNumber NOT IN {unseen}",
        ),
        "disputed_orders": source_scalar(
            url, f"SELECT COUNT(*) FROM orders WHERE status = 'Disputed' AND orderNumber NOT IN {unseen}"
        ),
        "sales_by_day": source_scalar(url, "SELECT SUM(quantityOrdered * priceEach) FROM orderdetails"),
    }
    assert tuple(figures) == FIGURES
    return figures


def mart_figures(pipeline: Pipeline, unseen_orders: list[int]) -> dict[str, Any]:
    """The figures of expected_figures, from the marts."""
    unseen = "(" + ", ".join(map(str, [0, *unseen_orders])) + ")"
    (row,) = pipeline.query(f"""
        SELECT
            (SELECT SUM(sales_amount) FROM marts.fct_order_lines),
            (SELECT COUNT(*) FROM marts.fct_orders),
            (SELECT COUNT(*) FROM marts.fct_order_lines),
            (SELECT SUM(amount) FROM marts.fct_payments),
            (SELECT COUNT(*) FROM marts.fct_payments),
            (SELECT SUM(days_to_ship) FROM marts.fct_orders WHERE order_number NOT IN {unseen}),
            (SELECT SUM(sales_amount) FROM marts.fct_orders WHERE order_status = 'Shipped'
                AND order_number NOT IN {unseen}),
            (SELECT COUNT(*) FROM marts.fct_orders WHERE order_status = 'Disputed' AND order_number NOT IN {unseen}),
            (SELECT SUM(sales_captured) FROM marts.agg_sales_daily WHERE grouping_level = 'day')""")
    return dict(zip(FIGURES, row, strict=True))


def assert_sales_by_product_line_reconcile(pipeline: Pipeline) -> None:
    by_line = dict(
        pipeline.query("""
        SELECT p.product_line, SUM(l.sales_amount) FROM marts.fct_order_lines l
        JOIN marts.dim_products p USING (product_key) GROUP BY 1""")
    )
    with admin_connection(pipeline.loader_url.rsplit("/", 1)[1]) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.productLine, SUM(d.quantityOrdered * d.priceEach) FROM orderdetails d"
            " JOIN products p USING (productCode) GROUP BY 1"
        )
        assert by_line == dict(cursor.fetchall())


def test_full_refresh_gives_identical_incremental_facts(pipeline: Pipeline) -> None:
    def snapshot_of_facts() -> dict[str, list[tuple[Any, ...]]]:
        return {model: pipeline.query(f"SELECT * FROM marts.{model} ORDER BY {key}") for model, key in FACTS.items()}

    incremental = snapshot_of_facts()
    assert all(incremental.values())
    pipeline.dbt_build("--full-refresh")
    rebuilt = snapshot_of_facts()
    for model, rows in incremental.items():
        only_incremental = sorted(set(rows) - set(rebuilt[model]), key=repr)[:3]
        only_rebuilt = sorted(set(rebuilt[model]) - set(rows), key=repr)[:3]
        assert rebuilt[model] == rows, f"{model}: incremental {only_incremental} vs full refresh {only_rebuilt}"


def test_facts_keep_their_rows_when_raw_loses_them(pipeline: Pipeline, tmp_path: Path) -> None:
    """Raw payments and order lines emptied without a delete at the source (a re-copy that came back short): the
    build stops before the facts are written, naming the fix, and they keep every row."""
    shutil.copyfile(pipeline.warehouse, tmp_path / "w.duckdb")
    env = isolated_env(tmp_path)
    counts = "SELECT (SELECT COUNT(*) FROM marts.fct_order_lines), (SELECT COUNT(*) FROM marts.fct_payments)"
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        (before,) = connection.execute(counts).fetchall()
        connection.execute("DELETE FROM raw_classicmodels.orderdetails")
        connection.execute("DELETE FROM raw_classicmodels.payments")
    result = subprocess.run(dbt_build_command(), env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert f"{before[0]} rows are gone from raw_classicmodels.orderdetails" in result.stdout
    assert f"{before[1]} rows are gone from raw_classicmodels.payments" in result.stdout
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as connection:
        assert connection.execute(counts).fetchall() == [before]
        # built from the facts, so skipped: they keep their rows too
        assert connection.execute("SELECT COUNT(*) FROM marts.fct_customer_balances").fetchone() != (0,)


def test_dimensions_keep_their_current_versions_when_raw_loses_rows(pipeline: Pipeline, tmp_path: Path) -> None:
    """Raw customers deleted without a delete at the source (ones without orders, so staging's relationship tests
    pass and the snapshot runs): it stops before it closes their versions (hard deletes invalidate), naming the
    fix, so dim_customers keeps its current rows."""
    shutil.copyfile(pipeline.warehouse, tmp_path / "w.duckdb")
    env = isolated_env(tmp_path)
    current = "SELECT * FROM marts.dim_customers WHERE is_current ORDER BY customer_key"
    open_versions = "SELECT COUNT(*) FROM snapshots.snp_classicmodels__customers WHERE dbt_valid_to IS NULL"
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        before = connection.execute(current).fetchall()
        (open_before,) = connection.execute(open_versions).fetchall()
        lost = len(
            connection.execute("""
            DELETE FROM raw_classicmodels.customers WHERE customer_number IN (
                SELECT customer_number FROM raw_classicmodels.customers
                WHERE customer_number NOT IN (SELECT customer_number FROM raw_classicmodels.orders)
                    AND customer_number NOT IN (SELECT customer_number FROM raw_classicmodels.payments)
                ORDER BY customer_number LIMIT 5)
            RETURNING customer_number""").fetchall()
        )
    assert lost > 0
    result = subprocess.run(dbt_build_command(), env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert f"snp_classicmodels__customers: {lost} rows are gone from raw_classicmodels.customers" in result.stdout, (
        result.stdout[-3000:]
    )
    assert "accept_rows_lost_by_raw" in result.stdout
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as connection:
        assert connection.execute(current).fetchall() == before
        assert connection.execute(open_versions).fetchall() == [open_before]


def test_lookback_days_is_the_loaders_lag_days(tmp_path: Path) -> None:
    """dbt's var lookback_days reads the loader's setting SOURCES__MYSQL__LAG_DAYS, with the loader's default."""

    def lookback_days(lag_days: str | None) -> str:
        env = isolated_env(tmp_path)
        env.pop("SOURCES__MYSQL__LAG_DAYS", None)
        if lag_days is not None:
            env["SOURCES__MYSQL__LAG_DAYS"] = lag_days
        command = [DBT, "compile", "--quiet", "--inline", "select {{ var('lookback_days') }} as days"]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout.split()[-3]  # the compiled query: select <days> as days

    assert lookback_days(None) == str(inspect.signature(mysql_source).parameters["lag_days"].default)
    assert lookback_days("5") == "5"


# Last in the module (these two): they change MySQL and the pipeline's warehouse.
def test_a_customer_deleted_at_the_source_closes_its_version(pipeline: Pipeline) -> None:
    """A customer without orders or payments deleted in MySQL: the load logs the delete in the change log in both
    modes (cursor mode: its whole copy of customers no longer finds the row), so the build passes the raw row loss
    guard with no var and dim_customers closes that customer's version."""
    database = pipeline.loader_url.rsplit("/", 1)[1]
    with admin_connection(database) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT MIN(customerNumber) FROM customers WHERE customerNumber NOT IN (SELECT customerNumber FROM orders)"
            " AND customerNumber NOT IN (SELECT customerNumber FROM payments)"
        )
        (customer,) = cursor.fetchone()
        cursor.execute("DELETE FROM customers WHERE customerNumber = %s", (customer,))
        connection.commit()
    current = f"SELECT COUNT(*) FROM marts.dim_customers WHERE customer_number = {customer} AND is_current"
    assert pipeline.query(current) == [(1,)]
    pipeline.load()
    assert pipeline.query(f"""
        SELECT COUNT(*) FROM raw_classicmodels._changes WHERE table_name = 'customers' AND operation = 'delete'
            AND json_extract_string(primary_key, '$.customerNumber') = '{customer}'""") == [(1,)]
    pipeline.dbt_build()
    assert pipeline.query(current) == [(0,)]
    (valid_to,) = pipeline.query(f"SELECT MAX(valid_to) FROM marts.dim_customers WHERE customer_number = {customer}")
    assert valid_to[0].year != 9999, valid_to


def test_a_customer_changed_twice_in_one_business_day_has_one_version(pipeline: Pipeline) -> None:
    """Two builds on one business day, each seeing a change of one customer: the version of the first build is
    in force for no business day and is left out (one version per business day, unique dim_customers keys)."""
    database = pipeline.loader_url.rsplit("/", 1)[1]
    (customer,) = pipeline.query("SELECT MIN(customer_number) FROM marts.fct_orders")[0]
    for phone in ("555-first", "555-second"):
        with admin_connection(database) as connection, connection.cursor() as cursor:
            cursor.execute("UPDATE customers SET phone = %s WHERE customerNumber = %s", (phone, customer))
            connection.commit()
        pipeline.load()
        pipeline.dbt_build()
    versions = pipeline.query(f"""
        SELECT phone, valid_from, valid_to FROM marts.dim_customers
        WHERE customer_number = {customer} ORDER BY valid_from""")
    business_day = pipeline.ticks[-1].business_day
    assert [phone for phone, _, _ in versions].count("555-first") == 0, versions
    assert versions[-1][0] == "555-second" and versions[-1][1].date() == business_day + timedelta(days=1)
    assert versions[-2][2] == versions[-1][1], "versions must be contiguous"
    assert pipeline.query("SELECT COUNT(*) - COUNT(DISTINCT customer_key) FROM marts.dim_customers") == [(0,)]
