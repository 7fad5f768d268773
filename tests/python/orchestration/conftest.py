"""Shared by the orchestration tests: private sources (a small demo shop in its own MariaDB database, a day of email
events on its own Kinesis stream) and the daily job's in-process run on them, each made once for the whole folder.
The orchestration packages are installed first when missing."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from demo.classicmodels import create_demo
from demo.kinesis_producer import create_stream
from load.kinesis.client import kinesis_client, stream_config
from load.local_services import REPO_ROOT, mysql_url
from local_mysql import private_database

if TYPE_CHECKING:
    from dagster import AssetKey

    from orchestrated_run import Workdir

DEMO_SCALE = 0.1
EMAILS = 300


def install_orchestration() -> None:
    """The orchestration extra is installed on first use (scripts/install_orchestration.sh), tests included."""
    if importlib.util.find_spec("dagster") is None or importlib.util.find_spec("dagster_dbt") is None:
        subprocess.run([str(REPO_ROOT / "scripts" / "install_orchestration.sh")], check=True, timeout=900)
        importlib.invalidate_caches()


install_orchestration()


def daily_asset_keys() -> set[AssetKey]:
    from orchestration.definitions import defs

    return set(defs.resolve_job_def("daily").asset_layer.selected_asset_keys)


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
            [sys.executable, "-m", "demo", "emails", "--emails", str(EMAILS)],
            cwd=REPO_ROOT,
            env={**os.environ, **settings},
            check=True,
            capture_output=True,
            timeout=300,
        )
        yield settings
    client.delete_stream(StreamName=stream, EnforceConsumerDeletion=True)


@pytest.fixture(scope="package")
def orchestrated(source_settings: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workdir]:
    """The daily job, in-process, into a private warehouse and published file."""
    from orchestrated_run import Workdir, execute  # after install_orchestration()

    workdir = Workdir(tmp_path_factory.mktemp("orchestrated"))
    with pytest.MonkeyPatch.context() as patch:
        for key, value in workdir.env(source_settings).items():
            patch.setenv(key, value)
        patch.chdir(REPO_ROOT)
        result = execute("daily")
        assert result.success, [event.message for event in result.all_events if event.is_failure]
        materialized = {event.asset_key for event in result.get_asset_materialization_events()}
        assert materialized == daily_asset_keys()
        yield workdir
