"""Binlog CDC against real MariaDB: after any day ticks (old orders updated, payments deleted), DDL, rotation,
restart or a kill -9, one `python -m load run mysql` makes every raw table equal to the source.

The shared server's binlog carries other engineers' traffic too; the loader filters by database. Tests that
purge, rotate or restart the binlog use a private server (tests/python/private_mariadb.py): nobody else breaks.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from demo.classicmodels import TickReport, create_demo, day_tick
from load.errors import LoadConfigError
from load.local_services import REPO_ROOT
from load.mysql.binlog_position import BinlogPosition
from load.mysql.binlog_reader import read_transactions
from load.mysql.preflight import parse_credentials
from load.mysql.strategy import TABLES
from load.retry import wait_until
from loader_process import kill_loader_at, load_ok, run_loader
from private_mariadb import PrivateMariaDB, admin_user_url
from source_compare import assert_table_equal, mysql_connect, warehouse_scalar

CDC = "cdc"


def load_cdc(url: str, warehouse: Path, *extra: str) -> str:
    return load_ok(url, warehouse, *extra, mode=CDC)


def assert_all_tables_equal(warehouse: Path, url: str) -> None:
    for table in TABLES:
        assert_table_equal(warehouse, url, table)


def ticks(admin_url: str, seeds: range) -> list[TickReport]:
    return [day_tick(admin_url, seed=seed) for seed in seeds]


def changes_duplicates(warehouse: Path) -> int:
    return warehouse_scalar(
        warehouse,
        "SELECT COUNT(*) - COUNT(DISTINCT (stream_id, binlog_file, binlog_pos, row_index))"
        " FROM raw_classicmodels._changes",
    )


def admin_sql(admin_url: str, *statements: str) -> None:
    with mysql_connect(admin_url) as connection, connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def test_day_ticks_stream_every_change_and_dbt_staging_builds(admin_url: str, loader_url: str, warehouse: Path) -> None:
    create_demo(admin_url, scale=1, seed=7)
    load_cdc(loader_url, warehouse)
    assert_all_tables_equal(warehouse, loader_url)

    reports: list[TickReport] = []
    for first_seed in (1, 3, 5):
        reports += ticks(admin_url, range(first_seed, first_seed + 2))
        output = load_cdc(loader_url, warehouse)
        assert "raw_classicmodels._changes:" in output, output
        assert_all_tables_equal(warehouse, loader_url)

    # What cursor mode cannot see did happen, and the change log kept it.
    deleted = [payment for report in reports for payment in report.deleted_payments]
    assert deleted, "six business days delete at least one payment"
    assert any(report.older_status_changes for report in reports)
    customer, check = deleted[0]
    assert (
        warehouse_scalar(
            warehouse,
            "SELECT COUNT(*) FROM raw_classicmodels._changes WHERE table_name = 'payments' AND operation = 'delete'"
            f" AND primary_key->>'$.checkNumber' = '{check}' AND before->>'$.customerNumber' = '{customer}'",
        )
        == 1
    )
    assert "no new rows" in load_cdc(loader_url, warehouse)  # nothing changed: nothing loaded

    build = subprocess.run(
        [str(REPO_ROOT / ".venv/bin/dbt"), "build", "-s", "staging.classicmodels"],
        env={
            **os.environ,
            "WAREHOUSE_PATH": str(warehouse),
            "DBT_TARGET_PATH": str(warehouse.parent / "target"),
            "DBT_LOG_PATH": str(warehouse.parent / "logs"),
            "DBT_PROFILES_DIR": str(REPO_ROOT),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout[-3000:]


def test_the_snapshot_run_settles_the_stream_schema(admin_url: str, loader_url: str, warehouse: Path) -> None:
    """The run that copies the tables leaves dlt's schema as the stream loads it (change log included), so the
    first daily run after it changes no schema: it costs what every later one does."""
    create_demo(admin_url, scale=0.05, seed=3)
    load_cdc(loader_url, warehouse)
    versions = "SELECT COUNT(*) FROM raw_classicmodels._dlt_version"
    settled = warehouse_scalar(warehouse, versions)
    assert warehouse_scalar(warehouse, "SELECT COUNT(*) FROM raw_classicmodels._changes") == 0
    ticks(admin_url, range(1, 2))
    assert "raw_classicmodels._changes:" in load_cdc(loader_url, warehouse)
    assert warehouse_scalar(warehouse, versions) == settled
    assert_all_tables_equal(warehouse, loader_url)


def test_a_warehouse_from_dict_loads_takes_arrow_change_rows(admin_url: str, loader_url: str, warehouse: Path) -> None:
    """Warehouses loaded before change rows came as Arrow have `_changes._dlt_id` NOT NULL (dlt's normalizer
    filled it); Arrow rows must fill it too, with the same id for the same change on a replay."""
    create_demo(admin_url, scale=1, seed=9)
    load_cdc(loader_url, warehouse)
    ticks(admin_url, range(1, 2))
    load_cdc(loader_url, warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("ALTER TABLE raw_classicmodels._changes ALTER COLUMN _dlt_id SET NOT NULL")
    ticks(admin_url, range(2, 3))
    load_cdc(loader_url, warehouse)
    assert_all_tables_equal(warehouse, loader_url)
    assert warehouse_scalar(warehouse, "SELECT COUNT(DISTINCT _dlt_id) = COUNT(*) FROM raw_classicmodels._changes")


@pytest.mark.parametrize(
    ("kill_in", "stage_folder"),
    [("stream", "normalize/extracted"), ("stream", "load/normalized"), ("snapshot", "load/normalized")],
)
def test_kill_9_mid_run_then_rerun_is_exact(
    kill_in: str, stage_folder: str, admin_url: str, loader_url: str, warehouse: Path
) -> None:
    create_demo(admin_url, scale=2, seed=3)
    if kill_in == "stream":
        load_cdc(loader_url, warehouse)
        ticks(admin_url, range(11, 13))
    kill_loader_at(stage_folder, loader_url, warehouse, mode=CDC)
    ticks(admin_url, range(13, 15))
    load_cdc(loader_url, warehouse)
    assert_all_tables_equal(warehouse, loader_url)
    if kill_in == "stream":  # a rerun of a killed snapshot copies the ticks: no change to log
        assert changes_duplicates(warehouse) == 0


def test_ddl_between_runs_and_mid_stream(admin_url: str, loader_url: str, warehouse: Path) -> None:
    create_demo(admin_url, scale=1, seed=5)
    load_cdc(loader_url, warehouse)

    # A new column with a default: rows no change touches get it too, so the table is re-snapshotted.
    ticks(admin_url, range(1, 2))
    admin_sql(admin_url, "ALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 3")
    ticks(admin_url, range(2, 3))
    admin_sql(admin_url, "UPDATE orders SET priority = 1 WHERE orderNumber = 10100")
    load_cdc(loader_url, warehouse)
    assert_all_tables_equal(warehouse, loader_url)
    assert warehouse_scalar(warehouse, "SELECT priority FROM raw_classicmodels.orders WHERE order_number = 10100") == 1

    # A dropped column stays in raw (NULL from now on) and does not break the stream.
    admin_sql(admin_url, "ALTER TABLE products DROP COLUMN productDescription")
    ticks(admin_url, range(3, 5))
    load_cdc(loader_url, warehouse)
    assert_all_tables_equal(warehouse, loader_url)


@pytest.fixture(scope="module")
def private_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateMariaDB]:
    server = PrivateMariaDB(tmp_path_factory.mktemp("mariadb"))
    server.start()
    yield server
    server.stop()


def test_rotation_restart_and_purged_position(private_server: PrivateMariaDB, warehouse: Path) -> None:
    admin_url = admin_user_url(private_server, "cm_rotation")
    create_demo(admin_url, scale=1, seed=9)
    loader_url = private_server.create_loader("cdc_loader", "cm_rotation", replication=True)
    load_cdc(loader_url, warehouse)

    ticks(admin_url, range(1, 2))
    private_server.execute("FLUSH BINARY LOGS")
    ticks(admin_url, range(2, 3))
    private_server.execute("FLUSH BINARY LOGS")
    load_cdc(loader_url, warehouse)
    assert_all_tables_equal(warehouse, loader_url)

    ticks(admin_url, range(3, 4))
    private_server.restart()
    ticks(admin_url, range(4, 5))
    load_cdc(loader_url, warehouse)
    assert_all_tables_equal(warehouse, loader_url)

    ticks(admin_url, range(5, 6))
    purge_all_but_the_current_binlog(private_server)
    purged = run_loader(loader_url, warehouse, mode=CDC)
    assert purged.returncode != 0
    assert "purged" in purged.stderr and "python -m load run mysql --resnapshot" in purged.stderr, purged.stderr
    assert private_server.password not in purged.stderr

    load_cdc(loader_url, warehouse, "--resnapshot")
    assert_all_tables_equal(warehouse, loader_url)


def purge_all_but_the_current_binlog(server: PrivateMariaDB) -> None:
    """MariaDB keeps a file until its binlog checkpoint (InnoDB has flushed its commits): retry briefly."""
    server.execute("FLUSH BINARY LOGS")
    (current,) = server.execute("SHOW MASTER STATUS")[0][:1]

    def purged() -> bool:
        server.execute(f"PURGE BINARY LOGS TO '{current}'")
        return len(server.execute("SHOW BINARY LOGS")) == 1

    assert wait_until(purged, timeout_seconds=20, interval_seconds=0.2), server.execute("SHOW BINARY LOGS")


def test_server_without_binlog_access_falls_back_or_fails_clearly(
    private_server: PrivateMariaDB, warehouse: Path
) -> None:
    admin_url = admin_user_url(private_server, "cm_plain")
    create_demo(admin_url, scale=1, seed=2)
    select_only = private_server.create_loader("select_only", "cm_plain", replication=False)

    fallback = run_loader(select_only, warehouse, mode=CDC)
    assert fallback.returncode == 0, fallback.stderr[-3000:]
    assert "GRANT REPLICATION CLIENT" in fallback.stderr and "cursor/replace strategies" in fallback.stderr
    assert_all_tables_equal(warehouse, select_only)

    strict = run_loader(select_only, warehouse, mode=CDC, settings={"SOURCES__MYSQL__CDC_FALLBACK": "false"})
    assert strict.returncode != 0
    assert "cannot feed binlog CDC" in strict.stderr and "GRANT REPLICATION" in strict.stderr, strict.stderr

    granted = private_server.create_loader("granted", "cm_plain", replication=True)
    private_server.execute("SET GLOBAL binlog_format = 'STATEMENT'")
    try:
        wrong_format = run_loader(granted, warehouse, mode=CDC, settings={"SOURCES__MYSQL__CDC_FALLBACK": "false"})
    finally:
        private_server.execute("SET GLOBAL binlog_format = 'ROW'")
    assert wrong_format.returncode != 0
    assert "binlog_format is STATEMENT: set binlog_format=ROW" in wrong_format.stderr, wrong_format.stderr


def test_a_position_the_server_no_longer_has_asks_for_a_resnapshot(loader_url: str) -> None:
    """The race the preflight check cannot see: the binlog is purged while the stream starts."""
    credentials = parse_credentials(loader_url)
    with pytest.raises(LoadConfigError, match=r"purged.*python -m load run mysql --resnapshot"):
        list(read_transactions(credentials, TABLES, BinlogPosition("binlog.999999", 4)))
