"""The MySQL server stops in the middle of a first load: one line, exit 2, and none of the run's copies visible
to dbt; the rerun after a restart loads everything. A private server, since it is killed."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from one_line import one_error_line, raw_tables

from demo.classicmodels import create_demo
from load.mysql.strategy import TABLES
from load.pending_copies import PENDING_PREFIX
from loader_process import load_ok, loader_env, reached_while_running
from private_mariadb import PrivateMariaDB, admin_user_url
from source_compare import assert_table_equal

DATABASE = "cm"
# After its preflight (`SELECT 1 FROM t LIMIT 0` per table) the loader opens a TCP connection for reflection,
# binlog checks (CDC) and each whole-table copy: the server dies at the sixth, with copies done and copies to do.
CONNECTIONS_BEFORE_THE_KILL = 5


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PrivateMariaDB]:
    server = PrivateMariaDB(tmp_path / "mariadb")
    server.start()
    server.execute(f"CREATE DATABASE {DATABASE}")
    create_demo(admin_user_url(server, DATABASE), scale=2, seed=11)
    yield server
    server.stop()


def _kill_server_during_copies(server: PrivateMariaDB, loader: subprocess.Popen[str], general_log: Path) -> None:
    """SIGKILL the server in the middle of the loader's copies (told by the general query log)."""

    def copying() -> bool:
        text = general_log.read_text(errors="replace") if general_log.exists() else ""
        after_preflight = text.rsplit("LIMIT 0", 1)[1] if "LIMIT 0" in text else ""
        return after_preflight.count("using TCP/IP") > CONNECTIONS_BEFORE_THE_KILL

    if not reached_while_running(loader, copying, timeout_seconds=120, interval_seconds=0.002):
        pytest.fail("the loader finished (or stalled) before the copies")
    assert server.process is not None
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    server.process = None


@pytest.mark.parametrize("mode", ["cursor", "cdc"])
def test_a_server_lost_mid_first_load_leaves_nothing_visible(mode: str, server: PrivateMariaDB, tmp_path: Path) -> None:
    url = server.create_loader("loader", DATABASE, replication=True)
    warehouse = tmp_path / "warehouse" / "w.duckdb"
    general_log = tmp_path / "general.log"
    server.execute(f"SET GLOBAL general_log_file = '{general_log}'", "SET GLOBAL general_log = 1")
    loader = subprocess.Popen(
        [sys.executable, "-m", "load", "run", "mysql"],
        env=loader_env(url, warehouse, mode),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _kill_server_during_copies(server, loader, general_log)
    stdout, stderr = loader.communicate(timeout=300)
    line = one_error_line(subprocess.CompletedProcess(loader.args, loader.returncode, stdout, stderr))
    assert "lost the connection to the mysql source" in line and "make services-up" in line
    visible = raw_tables(warehouse, "raw_classicmodels")
    assert not set(visible) & set(TABLES), visible  # not one table of the failed first load
    assert not [name for name in visible if name.startswith(PENDING_PREFIX)], visible  # its copies dropped

    server.start()
    load_ok(url, warehouse, mode=mode)
    for table in TABLES:
        assert_table_equal(warehouse, url, table)
    assert not [name for name in raw_tables(warehouse, "raw_classicmodels") if name.startswith(PENDING_PREFIX)]


def test_a_later_run_lost_mid_way_keeps_the_previous_tables(server: PrivateMariaDB, tmp_path: Path) -> None:
    """Replace tables are copied whole on every run: a failed run keeps the previous copies, all of them."""
    url = server.create_loader("loader", DATABASE, replication=True)
    warehouse = tmp_path / "warehouse" / "w.duckdb"
    load_ok(url, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        before = {t: connection.execute(f"select count(*) from raw_classicmodels.{t}").fetchone() for t in TABLES}
    server.execute(
        f"DELETE FROM {DATABASE}.payments LIMIT 5", f"UPDATE {DATABASE}.productlines SET htmlDescription='x'"
    )
    general_log = tmp_path / "general.log"
    server.execute(f"SET GLOBAL general_log_file = '{general_log}'", "SET GLOBAL general_log = 1")
    loader = subprocess.Popen(
        [sys.executable, "-m", "load", "run", "mysql"],
        env=loader_env(url, warehouse, "cursor"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _kill_server_during_copies(server, loader, general_log)
    stdout, stderr = loader.communicate(timeout=300)
    one_error_line(subprocess.CompletedProcess(loader.args, loader.returncode, stdout, stderr))
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        after = {t: connection.execute(f"select count(*) from raw_classicmodels.{t}").fetchone() for t in TABLES}
        changed = connection.execute(
            "select count(*) from raw_classicmodels.productlines where html_description = 'x'"
        ).fetchone()
    assert after == before and changed == (0,)
