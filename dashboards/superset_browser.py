"""The dashboards in headless Chromium (Playwright driving Debian's `chromium`): log in, open a dashboard, wait until
every chart has rendered. `python dashboards/superset_browser.py [SLUG ...]` prints each dashboard's render time
as JSON (the benchmark's first render), the URL and password from SUPERSET_URL and SUPERSET_STATE_DIR."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
BUNDLE_DASHBOARDS = Path(__file__).with_name("bundle") / "dashboards"


def bundle_dashboards() -> list[dict[str, Any]]:
    """The dashboards of the bundle, as their YAML."""
    return [yaml.safe_load(path.read_text()) for path in sorted(BUNDLE_DASHBOARDS.glob("*.yaml"))]


def chart_count(dashboard: dict[str, Any]) -> int:
    return sum(1 for key in dashboard["position"] if key.startswith("CHART-"))


@contextmanager
def logged_in_page(url: str, password: str, offsite: dict[str, str] | None = None) -> Iterator[Page]:
    """A page logged in as admin. Each request the page makes to another host than url lands in `offsite` with
    how it ended: "completed", or Chromium's failure text ("csp" when the page's CSP blocked it)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1400})
            if offsite is not None:
                page.on("requestfailed", lambda request: _note_offsite(offsite, url, request.url, request.failure))
                page.on("requestfinished", lambda request: _note_offsite(offsite, url, request.url, "completed"))
            page.goto(f"{url}/login/")
            page.fill("#username", "admin")
            page.fill("#password", password)
            page.click("[type=submit]")
            page.wait_for_url(lambda current: "/login" not in current)
            yield page
        finally:
            browser.close()


def _note_offsite(offsite: dict[str, str], url: str, requested: str, outcome: str | None) -> None:
    if not requested.startswith((url, "data:", "blob:")):
        offsite[requested] = outcome or "failed"


def wait_for_charts(page: Page, charts: int, timeout_s: float = 120) -> None:
    """Until the dashboard shows `charts` charts and no loading spinner (polled from here: the page's CSP forbids
    the eval that Playwright's wait_for_function needs)."""
    deadline = time.monotonic() + timeout_s
    while page.locator(".chart-container").count() < charts or page.locator(".loading").count():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{page.url}: charts still loading after {timeout_s} s")
        page.wait_for_timeout(100)


def render(page: Page, url: str, dashboard: dict[str, Any]) -> float:
    """Seconds from opening the dashboard to its last chart drawn."""
    started = time.perf_counter()
    page.goto(f"{url}/superset/dashboard/{dashboard['slug']}/")
    wait_for_charts(page, chart_count(dashboard))
    return time.perf_counter() - started


def main(slugs: list[str]) -> None:
    url = os.environ["SUPERSET_URL"]
    password = (Path(os.environ["SUPERSET_STATE_DIR"]) / "admin_password").read_text().strip()
    dashboards = {dashboard["slug"]: dashboard for dashboard in bundle_dashboards()}
    unknown = sorted(set(slugs) - set(dashboards))
    if unknown:
        sys.exit(f"no dashboard {', '.join(unknown)} in the bundle (there are {', '.join(sorted(dashboards))})")
    with logged_in_page(url, password) as page:
        seconds = {slug: round(render(page, url, dashboards[slug]), 3) for slug in slugs or dashboards}
    print(json.dumps(seconds))


if __name__ == "__main__":
    main(sys.argv[1:])
