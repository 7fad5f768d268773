"""A throwaway MariaDB server for tests that must purge, rotate or restart the binlog.

The shared local server's binlog is read by everyone's CDC runs: purging it would break other engineers' tests.
This one has its own datadir, socket and port, the same binlog settings as scripts/services.sh, and users made
for the test.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
from pathlib import Path

import pymysql

from load.retry import wait_until

BINLOG_SETTINGS = (
    "log_bin=binlog",
    "binlog_format=ROW",
    "binlog_row_image=FULL",
    "binlog_row_metadata=FULL",
    "server_id=1",
)
SBIN = "/usr/sbin"


class PrivateMariaDB:
    def __init__(self, root: Path, binlog: bool = True) -> None:
        self.root = root
        self.port = _free_port()
        self.password = secrets.token_hex(8)
        self.cnf = root / "my.cnf"
        settings = "\n".join(BINLOG_SETTINGS) if binlog else ""
        root.mkdir(parents=True, exist_ok=True)
        self.cnf.write_text(
            f"[mariadbd]\ndatadir={root / 'data'}\nsocket={root / 'sock'}\npid-file={root / 'pid'}\n"
            f"port={self.port}\nbind-address=127.0.0.1\nskip-name-resolve\nlog-error={root / 'error.log'}\n"
            f"innodb_buffer_pool_size=64M\n{settings}\n"
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if not (self.root / "data" / "mysql").exists():
            install = [_tool("mariadb-install-db"), f"--defaults-file={self.cnf}", "--skip-test-db"]
            subprocess.run(
                [*install, "--auth-root-authentication-method=normal"],
                check=True,
                capture_output=True,
            )
        as_root = ["--user=root"] if os.getuid() == 0 else []
        self.process = subprocess.Popen(
            [_tool("mariadbd"), f"--defaults-file={self.cnf}", *as_root],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_until(self._accepts_connections, timeout_seconds=30, interval_seconds=0.1):
            raise RuntimeError(f"private MariaDB did not start: see {self.root / 'error.log'}")

    def _accepts_connections(self) -> bool:
        try:
            self._root_connection().close()
        except pymysql.err.OperationalError:
            return False
        return True

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=60)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def execute(self, *statements: str, database: str | None = None) -> list[tuple[object, ...]]:
        """Run statements as root; the rows of the last one."""
        with self._root_connection(database) as connection, connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            return list(cursor.fetchall())

    def create_loader(self, user: str, database: str, replication: bool) -> str:
        """A SELECT-only user on `database` (plus the binlog grants when `replication`); its SQLAlchemy URL."""
        grants = [f"GRANT SELECT ON `{database}`.* TO '{user}'@'127.0.0.1'"]
        if replication:
            grants.append(f"GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '{user}'@'127.0.0.1'")
        self.execute(f"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{self.password}'", *grants)
        return self.url(user, database)

    def url(self, user: str, database: str) -> str:
        return f"mysql+pymysql://{user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def _root_connection(self, database: str | None = None) -> pymysql.connections.Connection:
        return pymysql.connect(
            unix_socket=str(self.root / "sock"), user="root", database=database, autocommit=True, connect_timeout=2
        )


def admin_user_url(server: PrivateMariaDB, database: str) -> str:
    """An all-privileges user for the demo generator (it connects over TCP like the loader)."""
    server.execute(
        f"CREATE USER IF NOT EXISTS 'admin'@'127.0.0.1' IDENTIFIED BY '{server.password}'",
        "GRANT ALL PRIVILEGES ON *.* TO 'admin'@'127.0.0.1'",
    )
    return server.url("admin", database)


def _tool(name: str) -> str:
    return shutil.which(name) or str(Path(SBIN) / name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
