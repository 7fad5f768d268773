"""Clickstream end to end on the real kinesis-local: generator → two streams → loader → dbt marts, checked against
the generator's own totals and a plain-Python computation of sessions and windows."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from clickstream import click_truth

from demo.clicks import ClickGenerator, ClickPlan, ClickReport, PageView, shop_catalog
from demo.emails import TrafficGenerator, TrafficPlan
from demo.kinesis_producer import Entry, create_stream, put_entries
from isolated_run import DBT, isolated_env, run_checked
from load.kinesis.client import kinesis_client, stream_config

EMAIL_SHARDS, CLICK_SHARDS = 1, 2
# The models this suite builds, with their unit tests (tests/python/marts/test_unit_test_selection.py).
CLICKSTREAM_MARTS = ["path:models/staging/clickstream", "path:models/marts/clickstream"]
# Traffic ending a few minutes ago: the newest windows are complete, and every view is within the event window.
TRAFFIC_END = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=5)


@dataclass
class ClickRun:
    workdir: Path
    email_stream: str
    click_stream: str
    client: Any
    report: ClickReport = field(default_factory=ClickReport)
    views: list[PageView] = field(default_factory=list)
    email_records: int = 0
    load_output: str = ""

    @property
    def warehouse(self) -> Path:
        return self.workdir / "w.duckdb"

    def env(self) -> dict[str, str]:
        return isolated_env(
            self.workdir,
            SOURCES__KINESIS__STREAM_NAME=self.email_stream,
            SOURCES__KINESIS__STREAMS=json.dumps({"clickstream": self.click_stream}),
        )

    def load(self, *options: str) -> str:
        command = [sys.executable, "-m", "load", "run", "kinesis", *options]
        result = subprocess.run(command, env=self.env(), capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
        return result.stdout

    def dbt(self, *args: str) -> None:
        run_checked([DBT, *args], self.env())

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClickRun]:
    client = kinesis_client(stream_config().credentials)
    suffix = uuid.uuid4().hex[:10]
    clicks = ClickRun(tmp_path_factory.mktemp("clickstream"), f"test-email-{suffix}", f"test-clicks-{suffix}", client)
    create_stream(client, clicks.email_stream, EMAIL_SHARDS)
    create_stream(client, clicks.click_stream, CLICK_SHARDS)
    try:
        plan = TrafficPlan(day=TRAFFIC_END.date(), emails=20, customers=[1, 2, 3], large_record=False)
        emails = TrafficGenerator(plan)
        email_entries = emails.entries()
        put_entries(client, clicks.email_stream, email_entries)
        clicks.email_records = len(email_entries)
        generator = ClickGenerator(ClickPlan(end=TRAFFIC_END, minutes=90, visits=50, shop=shop_catalog(40), seed=7))
        put_entries(client, clicks.click_stream, generator.entries())
        clicks.report, clicks.views = generator.report, generator.views
        clicks.load_output = clicks.load()
        clicks.dbt("build", "--select", *CLICKSTREAM_MARTS)
        yield clicks
    finally:
        for name in (clicks.email_stream, clicks.click_stream):
            client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)


def test_every_record_read_is_loaded_or_rejected(run: ClickRun) -> None:
    report = run.report
    assert report.late_records and report.duplicates and report.malformed_by_reason, "the traffic has its faults"
    assert f"records read {report.records_put} = loaded {report.valid_records} + rejected " in run.load_output
    assert "MISMATCH" not in run.load_output
    ((loaded,),) = run.rows("select count(*) from raw_clickstream.page_views")
    rejected = dict(run.rows("select reason, count(*) from raw_clickstream.page_views_rejected group by reason"))
    assert loaded == report.valid_records
    assert rejected == report.malformed_by_reason
    assert loaded + sum(rejected.values()) == report.records_put
    ((emails,),) = run.rows("select count(*) from raw_email.email_events")
    ((email_rejects,),) = run.rows("select count(*) from raw_email.email_events_rejected")
    assert emails + email_rejects == run.email_records


def test_two_streams_keep_their_own_state(run: ClickRun, monkeypatch: pytest.MonkeyPatch) -> None:
    from load.kinesis.job import kinesis_jobs
    from load.runner import make_pipeline

    for name, value in run.env().items():
        monkeypatch.setenv(name, value)
    email_job, click_job = kinesis_jobs()
    assert (email_job.dataset, click_job.dataset) == ("raw_email", "raw_clickstream")
    email_pipeline, click_pipeline = (make_pipeline(job, run.warehouse) for job in (email_job, click_job))
    assert email_pipeline.pipeline_name != click_pipeline.pipeline_name
    email_state = email_pipeline.state["sources"]["kinesis"]["resources"]
    click_state = click_pipeline.state["sources"]["kinesis"]["resources"]
    assert list(email_state) == ["email_records"] and list(click_state) == ["click_records"]
    # Each state's positions are its own stream's last records, shard by shard.
    for state, dataset, table, shards in (
        (email_state["email_records"], "raw_email", "email_events", EMAIL_SHARDS),
        (click_state["click_records"], "raw_clickstream", "page_views", CLICK_SHARDS),
    ):
        last: dict[str, int] = {}
        for shard, sequence_number in run.rows(
            f"select shard_id, sequence_number from {dataset}.{table}"
            f" union all select shard_id, sequence_number from {dataset}.{table}_rejected"
        ):
            last[shard] = max(last.get(shard, 0), int(sequence_number))  # 56 digits: beyond any SQL integer
        assert len(state["positions"]) == shards
        assert {shard: int(position) for shard, position in state["positions"].items()} == last


def test_page_views_and_sessions_equal_an_independent_computation(run: ClickRun) -> None:
    ((page_views,),) = run.rows("select count(*) from marts.fct_page_views")
    assert page_views == run.report.distinct_views == len(click_truth.distinct_views(run.views))
    expected = click_truth.sessions(run.views)
    assert len({(session.customer_id, session.device) for session in expected}) < len(expected), "returning visits"
    found = {
        click_truth.Session(*row)
        for row in run.rows(
            "select customer_id, device, started_at, ended_at, begin_url, end_url, page_views from marts.fct_sessions"
        )
    }
    assert found == expected
    devices = dict(run.rows("select device, sum(page_views) from marts.agg_views_by_device group by device"))
    assert devices == run.report.views_by_device
    assert dict(run.rows("select product_code, page_views from marts.agg_product_views")) == click_truth.product_views(
        run.views
    )


def test_windows_equal_an_independent_computation(run: ClickRun) -> None:
    _assert_windows_match(run, run.views)
    sources = run.rows("select view_minute, traffic_source, page_views from marts.agg_traffic_sources_minutely")
    assert {(minute, source): views for minute, source, views in sources} == click_truth.source_views_per_minute(
        run.views
    )


def test_a_late_view_updates_its_window_on_the_next_run(run: ClickRun) -> None:
    """Runs last: it adds a view, older than every window built, by a new visitor, and a retried record."""
    first = min(view.at for view in run.views)
    window = click_truth.window_start(first, 15)
    ((visitors_before,),) = run.rows(
        f"select unique_visitors from marts.agg_unique_visitors_15s where window_start = '{window}'"
    )
    late = PageView(str(uuid.uuid4()), 987654, "tablet", "ipados", "/cart", "google", None, first)
    late_entry = Entry(json.dumps(late.body()).encode(), "late")
    retried = Entry(json.dumps(run.views[-1].body()).encode(), "retry")
    put_entries(run.client, run.click_stream, [late_entry, retried])
    # One micro-batch of the near-real-time loop: a load, then the window marts.
    output = run.load("--build", "clickstream_micro_batch")
    assert "records read 2 = loaded 2 + rejected 0" in output
    assert "dbt: built selector clickstream_micro_batch" in output
    ((visitors_after,),) = run.rows(
        f"select unique_visitors from marts.agg_unique_visitors_15s where window_start = '{window}'"
    )
    assert visitors_after == visitors_before + 1
    _assert_windows_match(run, [*run.views, late])


def _assert_windows_match(run: ClickRun, views: list[PageView]) -> None:
    for model, seconds in (("agg_unique_visitors_15s", 15), ("agg_unique_visitors_1min", 60)):
        rows = run.rows(f"select window_start, unique_visitors, page_views from marts.{model}")
        assert {start: (visitors, count) for start, visitors, count in rows} == click_truth.unique_visitors(
            views, seconds
        ), model
