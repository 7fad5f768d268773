"""The MySQL loader's cursor mode against the real local MariaDB: full, incremental, idempotent, crash-safe, clear
errors. The loader runs with [sources.mysql] mode = "cursor" (the default is CDC; see test_cdc.py)."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from demo.classicmodels import create_demo, day_tick
from load.mysql.strategy import STRATEGIES, TABLES
from loader_process import kill_loader_at, load_ok, run_loader
from source_compare import (
    assert_table_equal,
    mysql_connect,
    raw_rows,
    source_rows,
    source_scalar,
    warehouse_scalar,
)

LAG_DAYS = 3
REPLACE_TABLES = [strategy.table for strategy in STRATEGIES if strategy.mode == "replace"]
MONEY_CHECKS = {
    "products": ("SELECT SUM(buyPrice) + SUM(MSRP) FROM products", "SUM(buy_price) + SUM(msrp)"),
    "customers": ("SELECT SUM(creditLimit) FROM customers", "SUM(credit_limit)"),
    "orderdetails": ("SELECT SUM(quantityOrdered * priceEach) FROM orderdetails", "SUM(quantity_ordered * price_each)"),
    "payments": ("SELECT SUM(amount) FROM payments", "SUM(amount)"),
}


def assert_full_copy(warehouse: Path, url: str) -> None:
    for table in TABLES:
        assert_table_equal(warehouse, url, table)
    for table, (source_sql, raw_expression) in MONEY_CHECKS.items():
        raw_sum = warehouse_scalar(warehouse, f"SELECT {raw_expression} FROM raw_classicmodels.{table}")
        assert raw_sum == source_scalar(url, source_sql), table


@pytest.fixture
def demo_source(admin_url: str, loader_url: str) -> str:
    create_demo(admin_url, scale=1, seed=7)
    return loader_url


def test_full_load_equals_source(demo_source: str, warehouse: Path) -> None:
    output = load_ok(demo_source, warehouse)
    assert_full_copy(warehouse, demo_source)
    for table in TABLES:
        assert f"raw_classicmodels.{table}:" in output, output


def test_incremental_run_catches_changes_inside_the_window(demo_source: str, admin_url: str, warehouse: Path) -> None:
    load_ok(demo_source, warehouse)
    day_tick(admin_url, seed=1)
    day_tick(admin_url, seed=2)
    load_ok(demo_source, warehouse)

    for table in REPLACE_TABLES:
        assert_table_equal(warehouse, demo_source, table)
    assert_orders_window_equal(warehouse, demo_source)


def assert_orders_window_equal(warehouse: Path, url: str) -> None:
    """Orders, their lines and payments inside the loader's lag window equal the source."""
    window_start = _window_start(url, "orders", "orderDate")
    in_window = f"orderDate >= '{window_start}'"
    raw_in_window = raw_rows(warehouse, url, "orders", f"order_date >= '{window_start}'")
    assert set(raw_in_window) == source_rows(url, "orders", in_window)
    lines_where = f"orderNumber IN (SELECT orderNumber FROM orders WHERE {in_window})"
    raw_lines = raw_rows(
        warehouse,
        url,
        "orderdetails",
        f"order_number IN (SELECT order_number FROM raw_classicmodels.orders WHERE order_date >= '{window_start}')",
    )
    assert set(raw_lines) == source_rows(url, "orderdetails", lines_where)
    payments_start = _window_start(url, "payments", "paymentDate")
    assert set(raw_rows(warehouse, url, "payments", f"payment_date >= '{payments_start}'")) == source_rows(
        url, "payments", f"paymentDate >= '{payments_start}'"
    )


def _window_start(url: str, table: str, cursor: str) -> str:
    """First date the loader re-reads: the newest cursor value minus the lag window."""
    latest = source_scalar(url, f"SELECT MAX({cursor}) FROM {table}")
    return (latest - timedelta(days=LAG_DAYS)).isoformat()


def test_rerun_without_change_changes_nothing(demo_source: str, warehouse: Path) -> None:
    load_ok(demo_source, warehouse)
    before = {table: sorted(raw_rows(warehouse, demo_source, table), key=repr) for table in TABLES}
    load_ok(demo_source, warehouse)
    after = {table: sorted(raw_rows(warehouse, demo_source, table), key=repr) for table in TABLES}
    assert before == after


def test_new_warehouse_file_gets_a_full_load(demo_source: str, warehouse: Path, tmp_path: Path) -> None:
    load_ok(demo_source, warehouse)
    warehouse.unlink()
    load_ok(demo_source, warehouse)
    assert_full_copy(warehouse, demo_source)
    other = tmp_path / "other" / "second.duckdb"
    load_ok(demo_source, other)
    assert_full_copy(other, demo_source)


@pytest.mark.parametrize("stage_folder", ["normalize/extracted", "load/normalized"])
def test_kill_9_mid_load_then_rerun_is_exact(
    stage_folder: str, admin_url: str, loader_url: str, warehouse: Path
) -> None:
    create_demo(admin_url, scale=30, seed=3)
    load_ok(loader_url, warehouse)
    day_tick(admin_url, seed=11)
    kill_loader_at(stage_folder, loader_url, warehouse)
    day_tick(admin_url, seed=12)
    load_ok(loader_url, warehouse)
    # A killed run commits no dlt state, so the rerun re-reads from the last committed cursors: every changed
    # row inside the window is exact, nothing is duplicated (merge on the primary key).
    for table in TABLES:
        raw = raw_rows(warehouse, loader_url, table)
        assert len(raw) == len(set(raw)), f"{table}: duplicates after a killed run"
    for table in ("productlines", "products", "offices", "employees", "customers"):
        assert_table_equal(warehouse, loader_url, table)
    assert_orders_window_equal(warehouse, loader_url)


def test_bad_credentials_fail_clearly(loader_url: str, warehouse: Path) -> None:
    bad = loader_url.replace("dw_loader:", "dw_loader:wrong", 1)
    result = run_loader(bad, warehouse)
    assert result.returncode != 0
    assert "refused user 'dw_loader'" in result.stderr
    assert "SOURCES__MYSQL__CREDENTIALS" in result.stderr
    assert "wrong" not in result.stderr, "the password must never be printed"
    assert (
        not warehouse.exists()
        or warehouse_scalar(
            warehouse, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'raw_classicmodels'"
        )
        == 0
    )


def test_unreachable_server_and_missing_table_fail_clearly(admin_url: str, loader_url: str, warehouse: Path) -> None:
    unreachable = run_loader("mysql+pymysql://u:p@127.0.0.1:1/classicmodels", warehouse)
    assert unreachable.returncode != 0
    assert "cannot reach MySQL at 127.0.0.1:1/classicmodels" in unreachable.stderr

    create_demo(admin_url, scale=1, seed=1)
    with mysql_connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute("SET FOREIGN_KEY_CHECKS = 0")
        cursor.execute("DROP TABLE payments")
    missing = run_loader(loader_url, warehouse)
    assert missing.returncode != 0
    assert "missing table(s) payments" in missing.stderr


def assert_one_clear_line(result: subprocess.CompletedProcess[str], expected: str) -> None:
    """Exit code 2 and one `error:` line naming the fix: no traceback."""
    assert result.returncode == 2, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and expected in errors[0], result.stderr[-2000:]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("mode", ["cursor", "cdc"])
def test_missing_grant_names_the_table_and_the_fix(mode: str, admin_url: str, loader_url: str, warehouse: Path) -> None:
    create_demo(admin_url, scale=1, seed=1)
    database = admin_url.rsplit("/", 1)[1]
    loader = "'dw_loader'@'127.0.0.1'"
    with mysql_connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute(f"REVOKE ALL PRIVILEGES ON `{database}`.* FROM {loader}")
        for table in TABLES:
            if table != "payments":
                cursor.execute(f"GRANT SELECT ON `{database}`.`{table}` TO {loader}")
    result = run_loader(loader_url, warehouse, mode=mode)
    assert_one_clear_line(result, "lacks SELECT on payments")


def test_a_warehouse_open_elsewhere_is_one_clear_line(demo_source: str, warehouse: Path) -> None:
    load_ok(demo_source, warehouse)
    with duckdb.connect(str(warehouse)):  # a writer in this process holds DuckDB's file lock
        result = run_loader(demo_source, warehouse)
    assert_one_clear_line(result, "is open in another process")
