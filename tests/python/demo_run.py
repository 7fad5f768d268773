"""The demo with a private database, stream, warehouse, marts file and dbt target: on the shared local services
(`demo_environment`), or on a private copy of the services (`PrivateServicesDemo`) that tests may restart."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from dbt_parse_cache import seed_target
from private_services import PrivateServices

from demo.kinesis_producer import create_stream
from load.kinesis.client import kinesis_client, stream_config
from load.local_services import REPO_ROOT, mysql_url
from local_mysql import admin_connection

DEMO_SCALE = "0.1"
DEMO_SHARDS = 2


@contextmanager
def demo_environment(database: str, root: Path, stream_prefix: str) -> Iterator[dict[str, str]]:
    """The environment that points scripts/demo.sh at `database`, a new stream and outputs under `root`."""
    client = kinesis_client(stream_config().credentials)
    stream = f"{stream_prefix}-{uuid.uuid4().hex[:8]}"
    create_stream(client, stream, DEMO_SHARDS)
    warehouse = root / "warehouse" / "commerce_dw.duckdb"
    seed_target(root / "target", warehouse)
    try:
        yield {
            **os.environ,
            "MARIADB_DATABASE": database,
            "DEMO__MYSQL_ADMIN_CREDENTIALS": mysql_url("MARIADB_ADMIN_USER", "MARIADB_ADMIN_PASSWORD", database),
            "SOURCES__MYSQL__CREDENTIALS": mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD", database),
            "SOURCES__KINESIS__STREAM_NAME": stream,
            "SCALE": DEMO_SCALE,
            "WAREHOUSE_PATH": str(warehouse),
            "MARTS_PATH": str(root / "warehouse" / "marts.duckdb"),
            "DBT_TARGET_PATH": str(root / "target"),
            "DBT_LOG_PATH": str(root / "logs"),
        }
    finally:
        client.delete_stream(StreamName=stream, EnforceConsumerDeletion=True)


@dataclass(frozen=True)
class Demo:
    env: dict[str, str]
    database: str

    @property
    def warehouse(self) -> Path:
        return Path(self.env["WAREHOUSE_PATH"])

    @property
    def marts(self) -> Path:
        return Path(self.env["MARTS_PATH"])

    def run(self, *command: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(command),
            cwd=REPO_ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    def last_order_day(self) -> str:
        with admin_connection(self.database) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT MAX(orderDate) FROM orders")
            (day,) = cursor.fetchone()
        return str(day)


@dataclass(frozen=True)
class PrivateServicesDemo(Demo):
    """The demo on a private copy of the services (its own MariaDB and Kinesis), after its first `make demo`."""

    services: PrivateServices = field(kw_only=True)
    first_run_output: str = field(kw_only=True)  # what the first `make demo` printed (it created the shop)

    def last_order_day(self) -> str:
        return self.services.sql(f"SELECT MAX(orderDate) FROM {self.database}.orders")
