"""The project's Superset end to end: `dashboards/superset.sh up` (install on first use, metadata DB, admin user,
deploy of dashboards/bundle/) on the published marts of the session's warehouse, then the charts' data, a
re-deploy, the read-only connection, the dataset metrics against the semantic layer, and every dashboard in
headless Chromium (screenshots in test-artifacts/dashboards/)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from playwright.sync_api import Page, sync_playwright

from analytics_warehouse import FUNNEL_METRICS, Warehouse
from isolated_run import run_checked
from load.local_services import REPO_ROOT
from superset_api import checked, login

SUPERSET_SH = str(REPO_ROOT / "dashboards" / "superset.sh")
BUNDLE = REPO_ROOT / "dashboards" / "bundle"
PORT = os.environ.get("SUPERSET_TEST_PORT", "8098")
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO_ROOT / "test-artifacts" / "dashboards"


@dataclass(frozen=True)
class Site:
    url: str
    env: dict[str, str]
    password: str

    def session(self) -> requests.Session:
        return login(self.url, self.password)

    def listed(self, session: requests.Session, resource: str, *columns: str) -> list[dict[str, Any]]:
        query = {"page_size": 100, **({"columns": list(columns)} if columns else {})}
        return checked(session.get(f"{self.url}/api/v1/{resource}/", params={"q": json.dumps(query)}))["result"]


@pytest.fixture(scope="module")
def site(warehouse: Warehouse) -> Iterator[Site]:
    state = warehouse.workdir / "superset"
    env = {
        **os.environ,
        "SUPERSET_STATE_DIR": str(state),
        "SUPERSET_PORT": PORT,
        "MARTS_PATH": str(warehouse.marts),
    }
    run_checked([SUPERSET_SH, "up"], env, timeout=900)
    try:
        yield Site(f"http://127.0.0.1:{PORT}", env, (state / "admin_password").read_text().strip())
    finally:
        subprocess.run([SUPERSET_SH, "down"], env=env, check=False)


def bundle_files(kind: str) -> list[dict[str, Any]]:
    return [yaml.safe_load(path.read_text()) for path in sorted((BUNDLE / kind).rglob("*.yaml"))]


def chart_query(chart: dict[str, Any]) -> dict[str, Any]:
    """The chart-data request of a chart, from its saved params (the columns and metrics its viz asks for)."""
    params = json.loads(chart["params"])
    groupby = params.get("groupby") or []
    columns: list[Any] = [groupby] if isinstance(groupby, str) else list(groupby)
    if params.get("x_axis"):
        axis = params["x_axis"]
        if params.get("time_grain_sqla"):
            axis = {
                "columnType": "BASE_AXIS",
                "expressionType": "SQL",
                "sqlExpression": axis,
                "label": axis,
                "timeGrain": params["time_grain_sqla"],
            }
        columns.insert(0, axis)
    metrics = params.get("metrics") or [params["metric"]]
    return {
        "datasource": {"id": chart["datasource_id"], "type": "table"},
        "queries": [{"columns": columns, "metrics": metrics, "row_limit": 100, "filters": []}],
        "result_format": "json",
        "result_type": "full",
    }


def chart_rows(site: Site, session: requests.Session, chart: dict[str, Any]) -> list[dict[str, Any]]:
    result = checked(session.post(f"{site.url}/api/v1/chart/data", json=chart_query(chart)))["result"][0]
    assert not result.get("error"), f"{chart['slice_name']}: {result['error']}"
    return result["data"]


def test_every_chart_returns_rows(site: Site) -> None:
    session = site.session()
    charts = site.listed(session, "chart", "id", "slice_name", "params", "datasource_id")
    assert sorted(chart["slice_name"] for chart in charts) == sorted(c["slice_name"] for c in bundle_files("charts"))
    empty = [chart["slice_name"] for chart in charts if not chart_rows(site, session, chart)]
    assert not empty, f"charts without rows: {empty}"


def test_redeploy_updates_in_place_without_duplicates(site: Site) -> None:
    session = site.session()
    chart = site.listed(session, "chart", "id", "slice_name")[0]
    checked(session.put(f"{site.url}/api/v1/chart/{chart['id']}", json={"slice_name": "edited by hand"}))
    before = {kind: len(site.listed(session, kind)) for kind in ("database", "dataset", "chart", "dashboard")}
    run_checked([SUPERSET_SH, "deploy"], site.env, timeout=300)
    after = {kind: len(site.listed(session, kind)) for kind in ("database", "dataset", "chart", "dashboard")}
    assert after == before == {"database": 1, "dataset": 10, "chart": 19, "dashboard": 3}
    restored = checked(session.get(f"{site.url}/api/v1/chart/{chart['id']}"))["result"]["slice_name"]
    assert restored == chart["slice_name"]


@pytest.mark.parametrize(
    "statement",
    [
        "select * from read_csv('/etc/passwd')",
        "copy (select 1) to '/tmp/superset_copy_test.csv'",
        "attach '/tmp/superset_attach_test.duckdb' as other",
        "install httpfs",
        "load httpfs",
        "create table main.injected as select 1 as x",
        "drop table main.fct_orders",
    ],
)
def test_connection_refuses_files_extensions_and_writes(site: Site, statement: str) -> None:
    session = site.session()
    (database,) = site.listed(session, "database", "id")
    body = {"database_id": database["id"], "sql": statement, "schema": "main", "runAsync": False}
    response = session.post(f"{site.url}/api/v1/sqllab/execute/", json=body)
    assert not response.ok or response.json().get("status") != "success", response.text[:500]
    assert not Path("/tmp/superset_copy_test.csv").exists()
    assert not Path("/tmp/superset_attach_test.duckdb").exists()


def test_sql_lab_reads_the_marts(site: Site) -> None:
    """The control for the test above: the same path answers a plain select."""
    session = site.session()
    (database,) = site.listed(session, "database", "id")
    body = {"database_id": database["id"], "sql": "select count(*) as n from main.fct_orders", "runAsync": False}
    assert checked(session.post(f"{site.url}/api/v1/sqllab/execute/", json=body))["data"][0]["n"] > 0


# Dataset (table name) → its metrics that the semantic layer defines too, under the same names.
SHARED_METRICS = {
    "sales_order_lines": ("sales_captured", "gross_profit", "orders_closed"),
    "fct_orders": ("average_days_to_ship", "orders_placed"),
    "fct_email_sends": FUNNEL_METRICS,
    "email_events_timed": ("email_opens", "email_clicks"),
    "fct_order_attribution": ("attributed_revenue", "organic_revenue"),
    "customer_latest_balances": ("ar_balance", "credit_limit"),
}


def test_dataset_metrics_match_the_semantic_layer(site: Site, warehouse: Warehouse) -> None:
    session = site.session()
    datasets = {dataset["table_name"]: dataset["id"] for dataset in site.listed(session, "dataset", "id", "table_name")}
    names = tuple(name for metrics in SHARED_METRICS.values() for name in metrics)
    (semantic,) = warehouse.mf_query(names, ())
    expected = dict(zip(names, semantic, strict=True))
    for table, metrics in SHARED_METRICS.items():
        query = {
            "datasource": {"id": datasets[table], "type": "table"},
            "queries": [{"columns": [], "metrics": list(metrics), "row_limit": 1}],
            "result_format": "json",
            "result_type": "full",
        }
        (row,) = checked(session.post(f"{site.url}/api/v1/chart/data", json=query))["result"][0]["data"]
        for metric in metrics:
            assert Decimal(str(row[metric])).quantize(Decimal("1e-9")) == Decimal(expected[metric]).quantize(
                Decimal("1e-9")
            ), f"{table}.{metric}"


def wait_for_charts(page: Page, charts: int, timeout_s: float = 120) -> None:
    """Until the dashboard shows `charts` charts and no loading spinner (polled from here: the page's CSP forbids
    the eval that Playwright's wait_for_function needs)."""
    deadline = time.monotonic() + timeout_s
    while page.locator(".chart-container").count() < charts or page.locator(".loading").count():
        assert time.monotonic() < deadline, f"{page.url}: charts still loading after {timeout_s} s"
        page.wait_for_timeout(250)
    page.wait_for_timeout(1000)  # let the charts' animations settle before the screenshot


def test_every_dashboard_renders_in_a_browser(site: Site) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    offsite: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1600, "height": 1400})
        # The page may try (Superset's telemetry pixel): the CSP must stop it, so no offsite request completes.
        page.on(
            "requestfinished",
            lambda request: None if request.url.startswith(site.url) else offsite.append(request.url),
        )
        page.goto(f"{site.url}/login/")
        page.fill("#username", "admin")
        page.fill("#password", site.password)
        page.click("[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
        for dashboard in bundle_files("dashboards"):
            charts = sum(1 for key in dashboard["position"] if key.startswith("CHART-"))
            page.goto(f"{site.url}/superset/dashboard/{dashboard['slug']}/")
            wait_for_charts(page, charts)
            page.screenshot(path=str(ARTIFACTS / f"{dashboard['slug']}.png"), full_page=True)
            errors = page.locator("[data-test=alert], .alert-danger").all_inner_texts()
            assert not errors, f"{dashboard['dashboard_title']}: {errors}"
        browser.close()
    assert not [url for url in offsite if not url.startswith(("data:", "blob:"))], f"offsite requests: {offsite}"
