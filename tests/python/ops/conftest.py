"""A demo run on the shared local services with a private database, stream, warehouse, marts file and dbt target."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from demo_run import Demo

from load.kinesis.client import kinesis_client, stream_config
from load.kinesis.producer import create_stream
from load.local_services import mysql_url
from local_mysql import private_database

DEMO_SCALE = "0.1"


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """scripts/demo.sh pointed at private sources and outputs, run once successfully (the shop is created)."""
    root = tmp_path_factory.mktemp("ops_demo")
    client = kinesis_client(stream_config().credentials)
    stream = f"test-ops-{uuid.uuid4().hex[:8]}"
    create_stream(client, stream, 2)
    with private_database("cm_ops") as database:
        demo = Demo(
            env={
                **os.environ,
                "MARIADB_DATABASE": database,
                "DEMO__MYSQL_ADMIN_CREDENTIALS": mysql_url("MARIADB_ADMIN_USER", "MARIADB_ADMIN_PASSWORD", database),
                "SOURCES__MYSQL__CREDENTIALS": mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD", database),
                "SOURCES__KINESIS__STREAM_NAME": stream,
                "SCALE": DEMO_SCALE,
                "WAREHOUSE_PATH": str(root / "warehouse" / "commerce_dw.duckdb"),
                "MARTS_PATH": str(root / "warehouse" / "marts.duckdb"),
                "DBT_TARGET_PATH": str(root / "target"),
                "DBT_LOG_PATH": str(root / "logs"),
            },
            database=database,
            root=root,
        )
        first = demo.run("scripts/demo.sh")
        assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
        try:
            yield demo
        finally:
            client.delete_stream(StreamName=stream, EnforceConsumerDeletion=True)
