"""`make orchestrate`'s server (scripts/orchestrate.sh: `dagster dev` on the repository's instance settings), started on
a copy of the orchestrated warehouse: two runs launched together queue and run one after the other, and the UI shows
the asset lineage in headless Chromium (a screenshot is kept in test-artifacts/orchestration/)."""

import json
import os
import signal
import subprocess
import time
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from playwright.sync_api import sync_playwright

from load.local_services import REPO_ROOT
from marts_figures import mart_figures
from orchestrated_run import Workdir
from orchestration.loader_assets import LOADED_SOURCES

pytestmark = pytest.mark.integration

PORT = 3100
URL = f"http://127.0.0.1:{PORT}"
LOCATION = "orchestration.definitions"
TERMINAL = {"SUCCESS", "FAILURE", "CANCELED"}
ARTIFACTS = REPO_ROOT / "test-artifacts" / "orchestration"


def graphql(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{URL}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


def location_loaded() -> bool:
    try:
        data = graphql("{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }")
    except OSError:
        return False
    entries = data["workspaceOrError"]["locationEntries"]
    return any(entry["name"] == LOCATION and entry["loadStatus"] == "LOADED" for entry in entries)


@dataclass(frozen=True)
class Server:
    workdir: Workdir
    log: Path


@pytest.fixture(scope="module")
def server(
    orchestrated: Workdir, source_settings: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    workdir = orchestrated.copy_to(tmp_path_factory.mktemp("server"))
    log = workdir.path / "dagster.log"
    env = {
        **workdir.env(source_settings),
        "DAGSTER_HOME": str(workdir.path / "dagster_home"),
        "DAGSTER_PORT": str(PORT),
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            ["scripts/orchestrate.sh"],
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=restore_ctrl_c,
        )
    try:
        deadline = time.monotonic() + 240
        while not location_loaded():
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(1)
        yield Server(workdir, log)
    finally:
        # What Ctrl-C does: SIGINT to the process group; dagster dev then stops what it started.
        os.killpg(process.pid, signal.SIGINT)
        stopped = group_gone(process, timeout=180)
        if not stopped:
            # Say what ignored the first Ctrl-C, then do what a user does next (Ctrl-C again: SIGTERM to the group).
            warnings.warn(
                f"Ctrl-C left processes running, terminating them: {group_members(process.pid)}", stacklevel=1
            )
            os.killpg(process.pid, signal.SIGTERM)
            stopped = group_gone(process, timeout=60)
        left = [] if stopped else group_members(process.pid)
        if not stopped:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert stopped, f"Ctrl-C twice left processes of `make orchestrate` running: {left}"


def restore_ctrl_c() -> None:
    """In the server's process, before it starts: Ctrl-C (SIGINT) acts as in a terminal. A suite started in the
    background of a non-interactive shell (`make test &`) inherits SIGINT ignored; `dagster dev` would keep ignoring
    it and, as it points SIGTERM at SIGINT's handler, ignore SIGTERM too."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def group_members(group: int) -> list[str]:
    """The command lines of the processes still in process group `group` (to say which one ignored Ctrl-C)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:
                members.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:200])
        except (OSError, IndexError, ValueError):
            continue
    return members


def group_gone(process: subprocess.Popen[bytes], timeout: float) -> bool:
    """Whether the process and everything in its process group ended within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        process.poll()
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return process.returncode is not None
        time.sleep(0.5)
    return False


LAUNCH = """
mutation($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
  }
}"""
RUNS = """
query($ids: [String!]) {
  runsOrError(filter: {runIds: $ids}) { ... on Runs { results { runId status startTime endTime } } }
}"""


def launch(job: str) -> str:
    params = {"selector": {"repositoryLocationName": LOCATION, "repositoryName": "__repository__", "jobName": job}}
    result = graphql(LAUNCH, {"params": params})["launchRun"]
    assert result["__typename"] == "LaunchRunSuccess", result
    return result["run"]["runId"]


def wait_for(run_ids: list[str], timeout: float) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        runs = graphql(RUNS, {"ids": run_ids})["runsOrError"]["results"]
        if all(run["status"] in TERMINAL for run in runs):
            return sorted(runs, key=lambda run: run["startTime"])
        assert time.monotonic() < deadline, runs
        time.sleep(2)


def published_at(path: Path) -> datetime:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute("select max(published_at) from meta.publication").fetchone()[0]


def test_runs_launched_together_queue_and_both_succeed(server: Server, orchestrated: Workdir) -> None:
    before = published_at(server.workdir.published)
    run_ids = [launch("email_micro_batch"), launch("email_micro_batch")]

    first, second = wait_for(run_ids, timeout=600)

    assert first["status"] == second["status"] == "SUCCESS", server.log.read_text()[-3000:]
    assert second["startTime"] >= first["endTime"]
    # Intact: the same marts as before (no new events on the stream), queryable and published again.
    assert mart_figures(server.workdir.warehouse) == mart_figures(orchestrated.warehouse)
    assert published_at(server.workdir.published) > before


def test_ui_shows_the_lineage_from_the_mysql_tables_to_fct_order_lines(server: Server) -> None:
    mysql = next(source for source in LOADED_SOURCES if source.name == "mysql")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1800, "height": 1100})
            page.goto(f"{URL}/assets/marts/fct_order_lines?view=lineage&lineageScope=upstream&lineageDepth=10")
            page.get_by_text("orderdetails").first.wait_for(timeout=60_000)
            skip = page.get_by_role("button", name="Skip")  # Dagster's first-visit newsletter dialog
            if skip.count():
                skip.first.click()
            page.screenshot(path=ARTIFACTS / "fct_order_lines-lineage.png")
            assert page.get_by_text("fct_order_lines", exact=True).count() >= 1
            assert page.get_by_text("sources", exact=True).count() >= 1
            for table in ("orders", "orderdetails", "products", "customers", "employees", "offices"):
                assert table in mysql.tables
                # One node in group "raw" (the loaded table), one in group "sources" (the MySQL table).
                assert page.get_by_text(table, exact=True).count() >= 2, table
        finally:
            browser.close()
