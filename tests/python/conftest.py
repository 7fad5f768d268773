"""Shared fixtures: the local services (started by `make services-up`), throwaway databases/warehouses, and one
demo run for the whole session."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from background_installs import last_the_tests_needing_an_install, start_needed, wait_for
from dbt_parse_cache import seed_target
from demo_run import PrivateServicesDemo
from private_services import PrivateServices
from publish.reader_session import ReaderRecord, read_during

from load.local_services import REPO_ROOT, mysql_url
from local_mysql import private_database

BACKGROUND_INSTALLS = pytest.StashKey[list[subprocess.Popen[bytes]]]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    last_the_tests_needing_an_install(items)


def pytest_collection_finish(session: pytest.Session) -> None:
    if not session.config.option.collectonly:
        session.stash[BACKGROUND_INSTALLS] = start_needed(session.items)


def pytest_sessionfinish(session: pytest.Session) -> None:
    wait_for(session.stash.get(BACKGROUND_INSTALLS, []))


@pytest.fixture
def mysql_database() -> Iterator[str]:
    """A fresh, empty MariaDB database the loader user may read; dropped afterwards."""
    with private_database("cm_test") as name:
        yield name


@pytest.fixture
def admin_url(mysql_database: str) -> str:
    return mysql_url("MARIADB_ADMIN_USER", "MARIADB_ADMIN_PASSWORD", mysql_database)


@pytest.fixture
def loader_url(mysql_database: str) -> str:
    return mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD", mysql_database)


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private warehouse file for the test, exported as WAREHOUSE_PATH."""
    path = tmp_path / "warehouse" / "test.duckdb"
    monkeypatch.setenv("WAREHOUSE_PATH", str(path))
    return path


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateServicesDemo]:
    """`make demo` on a private copy of the local services, run once successfully (the shop is created). The ops
    tests (restarts included) and the publish demo cycle add days to it: a first demo day (60 days of emails) costs
    about a minute, so they share it."""
    services = PrivateServices(tmp_path_factory.mktemp("shared_demo"))
    seed_target(Path(services.env["DBT_TARGET_PATH"]), Path(services.env["WAREHOUSE_PATH"]))
    try:
        first_run_output = services.make("demo")
        yield PrivateServicesDemo(
            env=services.env, database=services.database, services=services, first_run_output=first_run_output
        )
    finally:
        services.stop()


@pytest.fixture(scope="session")
def demo_day_with_a_reader(demo: PrivateServicesDemo, tmp_path_factory: pytest.TempPathFactory) -> ReaderRecord:
    """The shared demo's next `make demo` day while an analyst's session is open on its published marts. The
    restart tests ask for it after restarting the services (their day after the restart); the publish tests check
    what the session saw. One demo day for both."""
    return read_during(demo.marts, tmp_path_factory.mktemp("reader"), lambda: demo.services.make("demo"))


@pytest.fixture(autouse=True)
def _run_from_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """dlt reads .dlt/ from the working directory; dbt reads profiles.yml from here."""
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    os.environ.setdefault("DBT_PROFILES_DIR", str(REPO_ROOT))


# A test stream this old belongs to no running test session.
LEFTOVER_STREAM_AGE_HOURS = 2


@pytest.fixture(autouse=True, scope="session")
def _sweep_leftover_test_streams() -> None:
    """Delete `test-` streams an interrupted run left on the shared server: a server that persists its streams
    would otherwise carry them (and their records) from then on. Best effort: no server, nothing to sweep."""
    from load.kinesis.client import kinesis_client, stream_config

    try:
        client = kinesis_client(stream_config().credentials)
        names = client.list_streams(Limit=100)["StreamNames"]
        for name in (name for name in names if name.startswith("test-")):
            created = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
            if created["StreamCreationTimestamp"] < datetime.now(UTC) - timedelta(hours=LEFTOVER_STREAM_AGE_HOURS):
                client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
    except Exception:  # no reachable server is not this fixture's failure to report
        return
