"""The project's Superset end to end: `dashboards/superset.sh up` (install on first use, metadata DB, admin user,
deploy of dashboards/bundle/) on the published marts of the session's warehouse, then the charts' data, a
re-deploy, the read-only connection, the dataset metrics against the semantic layer, and every dashboard in
headless Chromium (screenshots in test-artifacts/dashboards/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from analytics_warehouse import FUNNEL_METRICS, Warehouse
from isolated_run import run_checked
from load.local_services import REPO_ROOT
from superset_api import checked, login
from superset_browser import bundle_dashboards, logged_in_page, render

SUPERSET_SH = str(REPO_ROOT / "dashboards" / "superset.sh")
BUNDLE = REPO_ROOT / "dashboards" / "bundle"
PORT = os.environ.get("SUPERSET_TEST_PORT", "8098")
ARTIFACTS = REPO_ROOT / "test-artifacts" / "dashboards"


@dataclass(frozen=True)
class Site:
    url: str
    env: dict[str, str]
    password: str
    startup_output: str  # what `superset.sh up` printed

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
    started = subprocess.run([SUPERSET_SH, "up"], env=env, capture_output=True, text=True, timeout=900)
    output = started.stdout + started.stderr
    assert started.returncode == 0, output[-5000:]
    try:
        yield Site(f"http://127.0.0.1:{PORT}", env, (state / "admin_password").read_text().strip(), output)
    finally:
        subprocess.run([SUPERSET_SH, "down"], env=env, check=False)


BUNDLE_FOLDERS = {"database": "databases", "dataset": "datasets", "chart": "charts", "dashboard": "dashboards"}


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
    in_bundle = {kind: len(bundle_files(folder)) for kind, folder in BUNDLE_FOLDERS.items()}
    assert after == before == in_bundle
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
    response = sql_lab(site, site.session(), statement)
    assert not response.ok or response.json().get("status") != "success", response.text[:500]
    assert not Path("/tmp/superset_copy_test.csv").exists()
    assert not Path("/tmp/superset_attach_test.duckdb").exists()


def test_sql_lab_reads_the_marts(site: Site) -> None:
    """The control for the test above: the same path answers a plain select."""
    assert checked(sql_lab(site, site.session(), "select count(*) as n from main.fct_orders"))["data"][0]["n"] > 0


def sql_lab(site: Site, session: requests.Session, sql: str) -> requests.Response:
    (database,) = site.listed(session, "database", "id")
    body = {"database_id": database["id"], "sql": sql, "schema": "main", "runAsync": False}
    return session.post(f"{site.url}/api/v1/sqllab/execute/", json=body)


# Dataset (table name) → its metrics that the semantic layer defines too, under the same names.
SHARED_METRICS = {
    "sales_order_lines": ("sales_captured", "gross_profit", "orders_closed"),
    "agg_sales_daily": ("sales_captured", "gross_profit", "net_profit"),
    "fct_orders": ("average_days_to_ship", "orders_placed"),
    "fct_email_sends": FUNNEL_METRICS,
    "email_events_timed": ("email_opens", "email_clicks"),
    "fct_order_attribution": ("attributed_revenue", "organic_revenue"),
    "customer_latest_balances": ("ar_balance", "credit_limit"),
}


def dataset_rows(
    site: Site, session: requests.Session, dataset: int, metrics: tuple[str, ...], filters: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The dataset's metrics in all, under the given filters (the form a dashboard's native filter adds)."""
    query = {
        "datasource": {"id": dataset, "type": "table"},
        "queries": [{"columns": [], "metrics": list(metrics), "row_limit": 1, "filters": filters}],
        "result_format": "json",
        "result_type": "full",
    }
    result = checked(session.post(f"{site.url}/api/v1/chart/data", json=query))["result"][0]
    assert not result.get("error"), result["error"]
    return result["data"]


def same(value: Any, expected: Any) -> bool:
    """Equal to 1e-9: money to the cent and beyond."""
    return Decimal(str(value)).quantize(Decimal("1e-9")) == Decimal(str(expected)).quantize(Decimal("1e-9"))


def test_dataset_metrics_match_the_semantic_layer(site: Site, warehouse: Warehouse) -> None:
    session = site.session()
    datasets = {dataset["table_name"]: dataset["id"] for dataset in site.listed(session, "dataset", "id", "table_name")}
    names = tuple(dict.fromkeys(name for metrics in SHARED_METRICS.values() for name in metrics))
    (semantic,) = warehouse.mf_query(names, ())
    expected = dict(zip(names, semantic, strict=True))
    for table, metrics in SHARED_METRICS.items():
        (row,) = dataset_rows(site, session, datasets[table], metrics, [])
        for metric in metrics:
            assert same(row[metric], expected[metric]), f"{table}.{metric}: {row[metric]} != {expected[metric]}"


def test_stock_metrics_match_the_semantic_layer_per_month(site: Site, warehouse: Warehouse) -> None:
    """Stock is a month-end level: the dataset sums it within a month, as the semantic layer does per month."""
    session = site.session()
    datasets = {dataset["table_name"]: dataset["id"] for dataset in site.listed(session, "dataset", "id", "table_name")}
    metrics = ("stock_units", "stock_value")
    month = {
        "columnType": "BASE_AXIS",
        "expressionType": "SQL",
        "sqlExpression": "month_end_date",
        "label": "month_end_date",
        "timeGrain": "P1M",
    }
    query = {
        "datasource": {"id": datasets["stock_by_product_month"], "type": "table"},
        "queries": [{"columns": [month], "metrics": list(metrics), "row_limit": 1000}],
        "result_format": "json",
        "result_type": "full",
    }
    rows = checked(session.post(f"{site.url}/api/v1/chart/data", json=query))["result"][0]["data"]
    charted = {
        datetime.fromtimestamp(row["month_end_date"] / 1000, UTC).date().isoformat(): [row[m] for m in metrics]
        for row in rows
    }
    semantic = {day[:10]: values for day, *values in warehouse.mf_query(metrics, ("metric_time__month",))}
    assert charted.keys() == semantic.keys() and charted
    for day, values in charted.items():
        assert all(map(same, values, semantic[day])), f"{day}: {values} != {semantic[day]}"


SALES_FILTERS = {"Order date", "Day or month", "Category", "Sub-category", "Brand"}


@pytest.mark.parametrize("column", ["category", "brand"])
def test_sales_filters_never_double_count(site: Site, warehouse: Warehouse, column: str) -> None:
    """Each value of a product filter gives the semantic layer's figures for that value: the aggregate's metrics
    add up its finest rows only, the order counts stay distinct."""
    session = site.session()
    sales = checked(session.get(f"{site.url}/api/v1/dashboard/sales"))["result"]
    filters = json.loads(sales["json_metadata"])["native_filter_configuration"]
    assert {native["name"] for native in filters} == SALES_FILTERS
    assert all("datasetId" in target for native in filters for target in native["targets"] if "column" in target)
    datasets = {dataset["table_name"]: dataset["id"] for dataset in site.listed(session, "dataset", "id", "table_name")}
    money, orders = SHARED_METRICS["agg_sales_daily"], ("orders_closed",)
    semantic = warehouse.mf_query((*money, *orders), (f"product__{column}",))
    assert len(semantic) > 1
    for value, *expected in semantic:
        where = [{"col": column, "op": "IN", "val": [value]}]
        (row,) = dataset_rows(site, session, datasets["agg_sales_daily"], money, where)
        (order_row,) = dataset_rows(site, session, datasets["sales_order_lines"], orders, where)
        got = [row[metric] for metric in money] + [order_row["orders_closed"]]
        assert all(map(same, got, expected)), f"{column} = {value}: {got} != {expected}"


def test_connection_is_read_only_even_with_dml_allowed(site: Site) -> None:
    """Past Superset's own guard (allow_dml), DuckDB itself refuses the write: the file is opened read-only."""
    session = site.session()
    (database,) = site.listed(session, "database", "id")
    checked(session.put(f"{site.url}/api/v1/database/{database['id']}", json={"allow_dml": True}))
    try:
        response = sql_lab(site, session, "create table main.injected as select 1 as x")
        assert "read-only" in response.text, response.text[:500]
    finally:
        checked(session.put(f"{site.url}/api/v1/database/{database['id']}", json={"allow_dml": False}))


def test_new_publication_shows_without_restart(site: Site, warehouse: Warehouse) -> None:
    session = site.session()
    latest = "select max(published_at) as published_at from meta.publication"
    before = checked(sql_lab(site, session, latest))["data"][0]["published_at"]
    run_checked([sys.executable, "-m", "load.publish", "--to", str(warehouse.marts)], warehouse.env)
    after = checked(sql_lab(site, session, latest))["data"][0]["published_at"]
    assert after > before


def test_admin_password_stays_out_of_git_and_logs(site: Site) -> None:
    state = Path(site.env["SUPERSET_STATE_DIR"])
    assert len(site.password) >= 20
    assert site.password not in site.startup_output
    assert site.password not in (state / "superset.log").read_text()
    assert (state / "admin_password").stat().st_mode & 0o077 == 0
    ignored = subprocess.run(["git", "check-ignore", "-q", ".superset/admin_password"], cwd=REPO_ROOT, check=False)
    assert ignored.returncode == 0, "the default state folder .superset/ must be git-ignored"


def test_page_policy_keeps_the_browser_on_this_host(site: Site) -> None:
    """The CSP of a page allows this host, inline styles and the page's own scripts only: Superset's telemetry
    pixel (an img from another host) and any other outbound request are blocked in the browser."""
    policy = requests.get(f"{site.url}/login/", timeout=30).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    local = {"'self'", "'none'", "'unsafe-inline'", "'strict-dynamic'", "blob:", "data:"}
    for name, sources in directives.items():
        offsite = [s for s in sources.split() if s not in local and not s.startswith("'nonce-")]
        assert not offsite, f"{name} allows {offsite}"


def test_every_dashboard_renders_in_a_browser(site: Site) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # The page tries (Superset's telemetry pixel): its CSP must block that in the browser, not the missing network.
    offsite: dict[str, str] = {}
    with logged_in_page(site.url, site.password, offsite) as page:
        for dashboard in bundle_dashboards():
            render(page, site.url, dashboard)
            page.wait_for_timeout(1000)  # let the charts' animations settle before the screenshot
            page.screenshot(path=str(ARTIFACTS / f"{dashboard['slug']}.png"), full_page=True)
            errors = page.locator("[data-test=alert], .alert-danger").all_inner_texts()
            assert not errors, f"{dashboard['dashboard_title']}: {errors}"
    assert all(outcome == "csp" for outcome in offsite.values()), f"offsite requests not blocked by CSP: {offsite}"
