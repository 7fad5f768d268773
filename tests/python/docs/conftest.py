"""Fixtures for the docs site: the site built by `make docs` into a temp dir, and a headless Chromium page."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from load.local_services import REPO_ROOT

# A headless, offline Chromium; Playwright adds its own automation flags (e.g. --remote-debugging-pipe).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 900}


def chromium_executable() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("WITH_BROWSER") == "0":
            pytest.skip("chromium not installed (WITH_BROWSER=0)")
        pytest.fail("Debian chromium is missing: run `make install` (scripts/bootstrap.sh installs it)")
    return path


@pytest.fixture(scope="session")
def docs_target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make docs` against an empty throwaway warehouse; returns its dbt target folder."""
    work = tmp_path_factory.mktemp("docs")
    env = {
        **os.environ,
        "WAREHOUSE_PATH": str(work / "warehouse" / "docs.duckdb"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_PROFILES_DIR": str(REPO_ROOT),
    }
    result = subprocess.run(
        ["make", "--no-print-directory", "docs"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return work / "target"


@pytest.fixture(scope="session")
def manifest(docs_target: Path) -> dict[str, Any]:
    return json.loads((docs_target / "manifest.json").read_text())


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    """A page of a fresh headless Chromium with its own profile (user data dir)."""
    executable = chromium_executable()
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "chromium-profile",
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport=VIEWPORT,
        )
        try:
            yield context.new_page()
        finally:
            context.close()


@pytest.fixture
def artifacts_dir() -> Path:
    """Screenshots kept after the run (git-ignored)."""
    path = REPO_ROOT / "test-artifacts" / "docs"
    path.mkdir(parents=True, exist_ok=True)
    return path
