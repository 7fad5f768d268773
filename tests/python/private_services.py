"""A private copy of the local services, started by the project's own commands (`make services-up`, ...).

Restart tests cannot stop the shared servers other tests use: this one gets its own SERVICES_DIR, ports, passwords,
warehouse, marts and dbt target, all under a temporary folder, and an environment that points every command at them.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
from pathlib import Path

from load.local_services import REPO_ROOT, file_settings

LISTEN_STATE = "0A"
LOOPBACK_ADDRESSES = {"0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivateServices:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.services_dir = root / "services"
        self.services_dir.mkdir(parents=True)
        self.passwords = {
            "MARIADB_LOADER_PASSWORD": secrets.token_hex(12),
            "MARIADB_ADMIN_PASSWORD": secrets.token_hex(12),
        }
        # scripts/services.sh keeps an existing credentials.env: the test knows the passwords it must not find.
        (self.services_dir / "credentials.env").write_text("".join(f"{k}={v}\n" for k, v in self.passwords.items()))
        self.mariadb_port, self.kinesis_port, self.kinesis_tls_port = free_port(), free_port(), free_port()
        self.kafka_port = free_port()
        settings = file_settings()
        self.database = settings["MARIADB_DATABASE"]
        where = f"{settings['MARIADB_HOST']}:{self.mariadb_port}/{self.database}"
        self.env = {
            **os.environ,
            "SERVICES_DIR": os.path.relpath(self.services_dir, REPO_ROOT),
            "MARIADB_PORT": str(self.mariadb_port),
            "KINESIS_PORT": str(self.kinesis_port),
            "KINESIS_TLS_PORT": str(self.kinesis_tls_port),
            "KAFKA_PORT": str(self.kafka_port),
            "SOURCES__KAFKA__BOOTSTRAP_SERVERS": f"127.0.0.1:{self.kafka_port}",
            "KINESIS_PERSIST": "true",  # `make test` turns it off for the shared server; restarts need it
            "DLT_SECRETS_FILE": str(self.secrets_file),
            "SOURCES__MYSQL__CREDENTIALS": (
                f"mysql+pymysql://{settings['MARIADB_LOADER_USER']}:{self.passwords['MARIADB_LOADER_PASSWORD']}@{where}"
            ),
            "DEMO__MYSQL_ADMIN_CREDENTIALS": (
                f"mysql+pymysql://{settings['MARIADB_ADMIN_USER']}:{self.passwords['MARIADB_ADMIN_PASSWORD']}@{where}"
            ),
            "SOURCES__KINESIS__CREDENTIALS__ENDPOINT_URL": self.kinesis_endpoint,
            "WAREHOUSE_PATH": str(self.warehouse_dir / "commerce_dw.duckdb"),
            "MARTS_PATH": str(self.warehouse_dir / "marts.duckdb"),
            "DBT_TARGET_PATH": str(root / "target"),
            "DBT_LOG_PATH": str(root / "logs"),
            "SCALE": "0.1",
        }

    @property
    def secrets_file(self) -> Path:
        return self.root / "secrets.toml"

    @property
    def warehouse_dir(self) -> Path:
        return self.root / "warehouse"

    @property
    def kinesis_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.kinesis_port}"

    @property
    def mariadb_cnf(self) -> Path:
        return self.services_dir / "mariadb" / "my.cnf"

    def run(
        self, *command: str, timeout: float = 900, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """A command from the repository root in the private environment (`env`: settings over it); output kept
        for the test."""
        return subprocess.run(
            list(command),
            cwd=REPO_ROOT,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def make(self, target: str) -> str:
        result = self.run("make", "--no-print-directory", target)
        assert result.returncode == 0, f"make {target}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
        return result.stdout + result.stderr

    def sql(self, statement: str) -> str:
        """A statement as MariaDB's root over the socket (the demo does the same)."""
        result = self.run("mariadb", f"--defaults-file={self.mariadb_cnf}", "-uroot", "-N", "-e", statement)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def stop(self) -> None:
        self.run("scripts/services.sh", "down", timeout=180)


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as /proc/net/tcp* writes them) of every socket listening on `port`."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == LISTEN_STATE:
                found.add(address)
    return found
