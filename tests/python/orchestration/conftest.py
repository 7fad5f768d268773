"""Private sources shared by the orchestration tests: a small demo shop in its own MariaDB database and a day of
email events on its own Kinesis stream, made once for the whole folder."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest

from load.demo.classicmodels import create_demo
from load.kinesis.client import kinesis_client, stream_config
from load.kinesis.producer import create_stream
from load.local_services import REPO_ROOT, mysql_url
from local_mysql import private_database

DEMO_SCALE = 0.1
EMAILS = 300


@pytest.fixture(scope="package")
def source_settings() -> Iterator[dict[str, str]]:
    """Environment variables pointing the loader and the demo generators at the private sources."""
    client = kinesis_client(stream_config().credentials)
    stream = f"test-orchestration-{uuid.uuid4().hex[:8]}"
    create_stream(client, stream, 2)
    with private_database("cm_orch") as database:
        admin_url = mysql_url("MARIADB_ADMIN_USER", "MARIADB_ADMIN_PASSWORD", database)
        settings = {
            "MARIADB_DATABASE": database,
            "DEMO__MYSQL_ADMIN_CREDENTIALS": admin_url,
            "SOURCES__MYSQL__CREDENTIALS": mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD", database),
            "SOURCES__KINESIS__STREAM_NAME": stream,
        }
        create_demo(admin_url, scale=DEMO_SCALE, seed=11)
        subprocess.run(
            [sys.executable, "-m", "load.demo", "emails", "--emails", str(EMAILS)],
            cwd=REPO_ROOT,
            env={**os.environ, **settings},
            check=True,
            capture_output=True,
            timeout=300,
        )
        yield settings
    client.delete_stream(StreamName=stream, EnforceConsumerDeletion=True)
