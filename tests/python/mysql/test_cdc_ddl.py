"""Binlog CDC through routine source DDL and repeated resnapshots, on the real local MariaDB.

Each sequence is a list of steps: SQL on the source, then one `python -m load run mysql` (plain or
--resnapshot). After every step the run must succeed and every raw table must equal the source (every row, every
value at the source's precision, no duplicate keys), keep its bookkeeping columns, and keep the columns the source
dropped or renamed with their old values.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from demo.classicmodels import create_demo, day_tick
from isolated_run import DBT, isolated_env, run_checked
from load.mysql.strategy import TABLES, strategy_for
from loader_process import loader_env, reached_while_running, run_loader
from source_compare import SNAKE, assert_table_equal, mysql_connect, raw_rows, source_scalar, warehouse_scalar

BOOKKEEPING = ("_cdc_order", "_cdc_deleted", "_dlt_id", "_dlt_load_id")


@dataclass(frozen=True)
class Step:
    sql: tuple[str, ...] = ()
    resnapshot: bool = False
    tick: int | None = None  # a demo business day (seed) before the SQL (it writes every original column)


@dataclass(frozen=True)
class Sequence:
    steps: tuple[Step, ...]
    # (table, raw column) the source drops or renames: raw keeps the old values of rows no change touched since
    kept: tuple[tuple[str, str], ...] = ()
    # (table, raw column, WHERE, value) read exactly from raw at the end
    exact: tuple[tuple[str, str, str, Decimal], ...] = field(default=())


def updates(table: str, column: str, rows: int = 3) -> str:
    return f"UPDATE {table} SET {column} = {column} + 1 ORDER BY RAND() LIMIT {rows}"


SEQUENCES = {
    "index_changes": Sequence(
        (
            Step((updates("payments", "amount"),)),
            Step(("CREATE INDEX ix_r1 ON payments(paymentDate)", updates("payments", "amount"))),
            Step(("CREATE INDEX ix_r2 ON payments(amount)", updates("payments", "amount"))),
            Step((updates("payments", "amount"), "ALTER TABLE orders ADD INDEX ix_r3 (status)")),
            Step(
                (
                    "DROP INDEX ix_r1 ON payments",
                    "UPDATE orders SET comments = 'after an index change' ORDER BY RAND() LIMIT 3",
                )
            ),
            Step((updates("payments", "amount"),)),
        )
    ),
    "new_tables_and_an_online_schema_change": Sequence(
        (
            Step(
                (
                    "CREATE TABLE audit_notes (id int PRIMARY KEY, note text)",
                    "INSERT INTO audit_notes VALUES (1, 'not a loaded table'), (2, 'payments')",
                    updates("customers", "creditLimit"),
                )
            ),
            # the swap of tools like gh-ost or pt-online-schema-change: a shadow table renamed over the original
            Step(
                (
                    "CREATE TABLE _payments_new LIKE payments",
                    "ALTER TABLE _payments_new MODIFY amount DECIMAL(16,3) NOT NULL",
                    "INSERT INTO _payments_new SELECT * FROM payments",
                    "UPDATE _payments_new SET amount = amount + 0.001 ORDER BY RAND() LIMIT 4",
                    "RENAME TABLE payments TO _payments_old, _payments_new TO payments",
                    "DROP TABLE _payments_old",
                    "INSERT INTO payments VALUES (112, 'DDL-3', '2005-06-02', 12345678901.125)",
                )
            ),
            Step(("DELETE FROM payments WHERE checkNumber = 'DDL-3'", updates("payments", "amount"))),
            Step(("TRUNCATE TABLE audit_notes", "DROP TABLE audit_notes", updates("payments", "amount"))),
        )
    ),
    "repeated_resnapshots": Sequence(
        (
            Step((updates("payments", "amount", 5),), resnapshot=True),
            Step((updates("payments", "amount", 5),), resnapshot=True),
            Step((updates("payments", "amount", 5), "CREATE INDEX ix_q ON orderdetails(quantityOrdered)"), True),
            Step((updates("orderdetails", "quantityOrdered", 5),)),
            Step(tick=3, resnapshot=True),
            Step(tick=4),
        )
    ),
    "dropped_and_renamed_columns": Sequence(
        (
            Step(("ALTER TABLE customers DROP COLUMN addressLine2",)),
            Step((updates("customers", "creditLimit"), "ALTER TABLE products RENAME COLUMN productVendor TO vendor")),
            Step(("UPDATE products SET vendor = 'Renamed Co' ORDER BY productCode LIMIT 2",)),
            Step((updates("customers", "creditLimit"),), resnapshot=True),
            Step(("ALTER TABLE employees DROP COLUMN extension", "UPDATE employees SET jobTitle = 'X' LIMIT 2")),
        ),
        kept=(("customers", "address_line2"), ("products", "product_vendor"), ("employees", "extension")),
    ),
    "widened_and_narrowed_decimals": Sequence(
        (
            Step(
                (
                    "ALTER TABLE payments MODIFY amount DECIMAL(14,4) NOT NULL",
                    "INSERT INTO payments VALUES (103, 'DDL-1', '2005-06-01', 5.6789)",
                )
            ),
            Step(("INSERT INTO payments VALUES (103, 'DDL-2', '2005-06-01', 987654321.5)",)),
            # two DDLs between runs: the rows written between them must not break the stream
            Step(
                (
                    "ALTER TABLE orderdetails MODIFY priceEach DECIMAL(12,4) NOT NULL",
                    "UPDATE orderdetails SET priceEach = priceEach + 0.0001 ORDER BY orderNumber LIMIT 4",
                    "ALTER TABLE orderdetails MODIFY priceEach DECIMAL(10,2) NOT NULL",
                    "ALTER TABLE customers MODIFY creditLimit DECIMAL(12,3)",
                    "UPDATE customers SET creditLimit = 1234567.125 ORDER BY customerNumber LIMIT 1",
                )
            ),
            Step(
                (
                    updates("orderdetails", "priceEach"),
                    "ALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 3",
                    "UPDATE orders SET priority = 1 ORDER BY orderNumber LIMIT 2",
                )
            ),
            Step(resnapshot=True, tick=6),
        ),
        exact=(
            ("payments", "amount", "check_number = 'DDL-1'", Decimal("5.6789")),
            ("payments", "amount", "check_number = 'DDL-2'", Decimal("987654321.5")),
        ),
    ),
}


def raw_columns(warehouse: Path, table: str) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'raw_classicmodels' AND table_name = ?",
            [table],
        ).fetchall()
    return [row[0] for row in rows]


def non_null(warehouse: Path, table: str, column: str) -> int:
    return warehouse_scalar(warehouse, f"SELECT COUNT({column}) FROM raw_classicmodels.{table}")


def assert_raw_is_the_source(warehouse: Path, url: str) -> None:
    for table in TABLES:
        assert_table_equal(warehouse, url, table)
        key = ", ".join(f'"{SNAKE.normalize_identifier(column)}"' for column in strategy_for(table).primary_key)
        duplicates = warehouse_scalar(
            warehouse, f"SELECT COUNT(*) - COUNT(DISTINCT ({key})) FROM raw_classicmodels.{table}"
        )
        assert duplicates == 0, f"{table}: {duplicates} duplicate keys"
        missing = set(BOOKKEEPING) - set(raw_columns(warehouse, table))
        assert not missing, f"{table} lost its bookkeeping columns {missing}"


@pytest.mark.parametrize("name", list(SEQUENCES))
def test_ddl_sequence_keeps_raw_equal_to_the_source(
    name: str, admin_url: str, loader_url: str, warehouse: Path
) -> None:
    sequence = SEQUENCES[name]
    create_demo(admin_url, scale=1, seed=11)
    first = run_loader(loader_url, warehouse, mode="cdc")
    assert first.returncode == 0, first.stderr[-3000:]
    values_before = {(table, column): non_null(warehouse, table, column) for table, column in sequence.kept}
    for number, step in enumerate(sequence.steps, start=1):
        if step.tick is not None:
            day_tick(admin_url, seed=step.tick)
        admin_sql(admin_url, *step.sql)
        extra = ("--resnapshot",) if step.resnapshot else ()
        result = run_loader(loader_url, warehouse, *extra, mode="cdc")
        assert result.returncode == 0, f"step {number}: {result.stderr[-3000:]}"
        assert_raw_is_the_source(warehouse, loader_url)
    for (table, column), before in values_before.items():
        # a handful of rows change after the drop (NULL there from then on): the rest keep their values
        assert non_null(warehouse, table, column) >= before * 0.8 > 0, f"{table}.{column}: old values lost"
    for table, column, where, value in sequence.exact:
        assert warehouse_scalar(warehouse, f"SELECT {column} FROM raw_classicmodels.{table} WHERE {where}") == value


def run_cdc(url: str, warehouse: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_loader(url, warehouse, *extra, mode="cdc")


def test_a_key_change_stops_with_one_line_until_the_key_is_back(
    admin_url: str, loader_url: str, warehouse: Path
) -> None:
    create_demo(admin_url, scale=1, seed=12)
    assert run_cdc(loader_url, warehouse).returncode == 0
    admin_sql(admin_url, "ALTER TABLE payments DROP PRIMARY KEY, ADD PRIMARY KEY (checkNumber, paymentDate)")
    for _ in range(2):  # and it stays that way, changing nothing
        stopped = run_cdc(loader_url, warehouse)
        assert stopped.returncode == 2, stopped.stderr[-3000:]
        errors = [line for line in stopped.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "Traceback" not in stopped.stderr, stopped.stderr[-3000:]
        assert "table payments" in errors[0] and "load/mysql/strategy.py" in errors[0], errors[0]
    admin_sql(admin_url, "ALTER TABLE payments DROP PRIMARY KEY, ADD PRIMARY KEY (customerNumber, checkNumber)")
    admin_sql(admin_url, updates("payments", "amount"))
    resumed = run_cdc(loader_url, warehouse)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert_raw_is_the_source(warehouse, loader_url)


def test_a_failed_merge_deletes_nothing_and_a_resnapshot_repairs_the_table(
    admin_url: str, loader_url: str, warehouse: Path
) -> None:
    """A merge deletes the changed keys, then inserts their new rows: when the insert fails (here a constraint
    planted in raw refuses the new amounts) the delete must not stay. A re-copy gives the table back its shape."""
    create_demo(admin_url, scale=1, seed=13)
    assert run_cdc(loader_url, warehouse).returncode == 0
    with duckdb.connect(str(warehouse)) as connection:
        (table_sql,) = connection.execute(
            "SELECT sql FROM duckdb_tables() WHERE schema_name = 'raw_classicmodels' AND table_name = 'payments'"
        ).fetchone()
        checked = table_sql.rstrip().rstrip(";").rstrip(")") + ", CHECK (amount < 1000000))"
        connection.execute("ALTER TABLE raw_classicmodels.payments RENAME TO payments_unchecked")
        connection.execute(checked)
        connection.execute("INSERT INTO raw_classicmodels.payments SELECT * FROM raw_classicmodels.payments_unchecked")
        connection.execute("DROP TABLE raw_classicmodels.payments_unchecked")
    before = sorted(raw_rows(warehouse, loader_url, "payments"))
    admin_sql(admin_url, "UPDATE payments SET amount = 2000000 ORDER BY RAND() LIMIT 5")
    failed = run_cdc(loader_url, warehouse)
    assert failed.returncode != 0 and "CHECK constraint" in failed.stderr, failed.stderr[-3000:]
    assert sorted(raw_rows(warehouse, loader_url, "payments")) == before
    repaired = run_cdc(loader_url, warehouse, "--resnapshot")
    assert repaired.returncode == 0, repaired.stderr[-3000:]
    assert_raw_is_the_source(warehouse, loader_url)


def test_rows_a_copy_no_longer_finds_are_logged_as_deletes(admin_url: str, loader_url: str, warehouse: Path) -> None:
    """A TRUNCATE writes no row events: the re-copy empties raw, and `_changes` gets a delete per row it had."""
    create_demo(admin_url, scale=1, seed=14)
    assert run_cdc(loader_url, warehouse).returncode == 0
    had = warehouse_scalar(warehouse, "SELECT COUNT(*) FROM raw_classicmodels.payments")
    admin_sql(admin_url, "TRUNCATE TABLE payments", "INSERT INTO payments VALUES (103, 'AFTER-1', '2005-06-03', 1.25)")
    result = run_cdc(loader_url, warehouse)
    assert result.returncode == 0, result.stderr[-3000:]
    assert_raw_is_the_source(warehouse, loader_url)
    logged = warehouse_scalar(
        warehouse,
        "SELECT COUNT(DISTINCT primary_key::varchar) FROM raw_classicmodels._changes"
        " WHERE table_name = 'payments' AND operation = 'delete' AND stream_id = 'snapshot'",
    )
    assert logged == had > 0


def test_deletes_a_killed_run_found_are_logged_once(admin_url: str, loader_url: str, warehouse: Path) -> None:
    """The deletes a re-copy finds wait with the copy for its load to commit: a run killed after the copy, before the
    commit, logs none (raw still has the rows), and the rerun logs each once."""
    create_demo(admin_url, scale=1, seed=16)
    assert run_cdc(loader_url, warehouse).returncode == 0
    had = warehouse_scalar(warehouse, "SELECT COUNT(*) FROM raw_classicmodels.payments")
    admin_sql(admin_url, "TRUNCATE TABLE payments")
    loader = subprocess.Popen(
        [sys.executable, "-m", "load", "run", "mysql"],
        env=loader_env(loader_url, warehouse, "cdc"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    copied = warehouse.parent / ".dlt_pipelines"
    if reached_while_running(loader, lambda: any(copied.glob("*/load/normalized/*/new_jobs/payments.*")), 120):
        loader.send_signal(signal.SIGKILL)
    assert loader.wait() == -signal.SIGKILL, "the loader finished before the copy of payments was normalized"
    assert run_cdc(loader_url, warehouse).returncode == 0
    logged = warehouse_scalar(
        warehouse,
        "SELECT COUNT(*) FROM raw_classicmodels._changes"
        " WHERE table_name = 'payments' AND operation = 'delete' AND stream_id = 'snapshot'",
    )
    assert logged == had > 0
    assert warehouse_scalar(warehouse, "SELECT COUNT(*) FROM raw_classicmodels.payments") == 0


def test_facts_drop_the_rows_a_resnapshot_logs_as_deleted(admin_url: str, loader_url: str, warehouse: Path) -> None:
    """Order lines deleted before a `--resnapshot`, payments lost in a TRUNCATE: the re-copies log them as deletes
    (in raw column names), so the marts' guard lets the build drop exactly those rows instead of stopping it."""
    create_demo(admin_url, scale=1, seed=15)
    assert run_cdc(loader_url, warehouse).returncode == 0
    env = isolated_env(warehouse.parent, WAREHOUSE_PATH=str(warehouse))
    build = [DBT, "build", "--quiet", "--indirect-selection", "cautious", "--select"]
    build += ["path:models/staging/classicmodels"]
    build += ["+path:models/marts/sales", "+path:models/marts/finance"]
    run_checked(build, env)
    admin_sql(admin_url, "DELETE FROM orderdetails ORDER BY orderNumber, productCode LIMIT 2")
    assert run_cdc(loader_url, warehouse, "--resnapshot").returncode == 0
    admin_sql(
        admin_url,
        "CREATE TABLE payments_kept AS SELECT * FROM payments",
        "DELETE FROM payments_kept ORDER BY customerNumber, checkNumber LIMIT 2",
        "TRUNCATE TABLE payments",
        "INSERT INTO payments SELECT * FROM payments_kept",
        "DROP TABLE payments_kept",
    )
    assert run_cdc(loader_url, warehouse).returncode == 0
    assert_raw_is_the_source(warehouse, loader_url)
    run_checked(build, env)
    for fact, table in (("fct_order_lines", "orderdetails"), ("fct_payments", "payments")):
        in_source = source_scalar(loader_url, f"SELECT COUNT(*) FROM {table}")
        assert warehouse_scalar(warehouse, f"SELECT COUNT(*) FROM marts.{fact}") == in_source, fact


def admin_sql(admin_url: str, *statements: str) -> None:
    with mysql_connect(admin_url) as connection, connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
