"""Email marts end to end on the real local MariaDB and Kinesis servers: funnel, late sends, attribution.

One pipeline per module (about a minute): the demo shop is created and loaded; then three batches go on a
multi-shard stream, each loaded and built: (A) a generated day of traffic plus an open whose send is missing,
(B) another generated day, (C) that late send and an email clicked with no recorded open. Builds B and C are
incremental with a lookback of 0 hours, so the late send must join up through its email, not the window.
The tests compare the marts with what was put on the stream, computed here from the records themselves.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from email_marts.email_records import at_ms, private_sources, send_body

from demo.classicmodels import LAST_HISTORY_DAY, create_demo
from demo.emails import TrafficGenerator, TrafficPlan, TrafficReport
from demo.kinesis_producer import Entry, put_entries
from isolated_run import DBT, isolated_env, run_checked
from load.kinesis.client import kinesis_client, stream_config
from load.local_services import mysql_url
from local_mysql import admin_connection

SHARDS = 3
# Generated days inside the orders history, so that attribution finds orders in the days after them.
TRAFFIC = ((LAST_HISTORY_DAY - timedelta(days=4), 600, 21), (LAST_HISTORY_DAY - timedelta(days=2), 400, 22))
LATE_DAY = LAST_HISTORY_DAY - timedelta(days=8)
LATE_SEND_ID, CLICK_ONLY_ID = "late-send-0001", "click-only-0001"
CLICK_WINDOW_DAYS, OPEN_WINDOW_DAYS = 5, 1


def dbt_vars(**extra: int) -> str:
    """--vars for a build: the attribution windows this test computes with, and any extra var."""
    return json.dumps(
        {
            "email_attribution_click_window_days": CLICK_WINDOW_DAYS,
            "email_attribution_open_window_days": OPEN_WINDOW_DAYS,
            **extra,
        }
    )


EMAIL_MARTS = [
    "path:models/staging/email",
    "path:models/intermediate/email",
    "path:models/marts/email",
    "path:tests/dbt/email",
]
EMAIL_MART_KEYS = {
    "fct_email_events": "event_key",
    "fct_email_sends": "event_id",
    "bridge_email_algorithms": "email_algorithm_key",
    "agg_email_funnel_daily": "funnel_key",
    "agg_email_funnel_daily_by_algorithm": "funnel_algorithm_key",
    "fct_partner_usage_minutely": "partner_minute_key",
    "fct_order_attribution": "order_number",
}


@dataclass
class Pipeline:
    loader_url: str
    stream: str
    workdir: Path
    reports: list[TrafficReport] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    # fct_email_sends rows of the two hand-made emails after build A
    sends_after_a: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def warehouse(self) -> Path:
        return self.workdir / "w.duckdb"

    def env(self) -> dict[str, str]:
        return isolated_env(
            self.workdir, SOURCES__MYSQL__CREDENTIALS=self.loader_url, SOURCES__KINESIS__STREAM_NAME=self.stream
        )

    def put(self, entries: list[Entry]) -> None:
        put_entries(kinesis_client(stream_config().credentials), self.stream, entries)
        self.entries.extend(entries)

    def load(self, job: str) -> None:
        run_checked([sys.executable, "-m", "load", "run", job], self.env(), timeout=300)

    def dbt_build(self, *args: str) -> None:
        run_checked([DBT, "build", *args], self.env())

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(sql).fetchall()

    def dicts(self, sql: str) -> list[dict[str, Any]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            cursor = connection.execute(sql)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def hand_made(body: dict[str, Any]) -> Entry:
    return Entry(json.dumps(body).encode(), body["event_id"])


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    workdir = tmp_path_factory.mktemp("email_marts")
    with private_sources("email-marts", SHARDS, workdir) as (stream, database):
        loader_url = mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD", database)
        yield build_pipeline(Pipeline(loader_url, stream, workdir), database)


def build_pipeline(run: Pipeline, database: str) -> Pipeline:
    """The demo shop loaded, then batches A, B and C (module docstring) each put, loaded and built."""
    create_demo(mysql_url("MARIADB_ADMIN_USER", "MARIADB_ADMIN_PASSWORD", database), scale=1, seed=7)
    run.load("mysql")
    with admin_connection(database) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT customerNumber FROM customers ORDER BY customerNumber")
        customers = [number for (number,) in cursor.fetchall()]

    def traffic(day: date, emails: int, seed: int) -> list[Entry]:
        generator = TrafficGenerator(TrafficPlan(day=day, emails=emails, customers=customers, seed=seed))
        entries = generator.entries()
        run.reports.append(generator.report)
        return entries

    late_open = {"event_id": LATE_SEND_ID, "event_type": "opened", "datetime": at_ms(LATE_DAY, 11)}
    # A: a day of traffic, and an open whose send is not on the stream yet. Full build of the marts and
    # everything upstream (tests of upstream models that need unselected models are left to their owners).
    run.put([*traffic(*TRAFFIC[0]), hand_made({**late_open, "device": "mobile", "os": "android"})])
    run.load("kinesis")
    run.dbt_build(
        "--select",
        "+path:models/marts/email",
        *EMAIL_MARTS,
        "--indirect-selection",
        "cautious",
        "--vars",
        dbt_vars(),
    )
    run.sends_after_a = {
        row["event_id"]: row
        for row in run.dicts(f"select * from marts.fct_email_sends where event_id = '{LATE_SEND_ID}'")
    }
    # B, C: incremental builds that re-read only the newest load (lookback 0 hours).
    incremental = ("--select", *EMAIL_MARTS, "--vars", dbt_vars(email_lookback_hours=0))
    run.put(traffic(*TRAFFIC[1]))
    run.load("kinesis")
    run.dbt_build(*incremental)
    click = {"event_id": CLICK_ONLY_ID, "event_type": "clicked", "datetime": at_ms(LATE_DAY, 9, 30)}
    run.put(
        [
            hand_made(send_body(LATE_SEND_ID, customers[0], at_ms(LATE_DAY, 10))),
            hand_made(send_body(CLICK_ONLY_ID, customers[1], at_ms(LATE_DAY, 9))),
            hand_made({**click, "device": "desktop", "os": "linux"}),
        ]
    )
    run.load("kinesis")
    run.dbt_build(*incremental)
    return run


# --- what was put on the stream, decoded here independently of the loader and the marts -------------------------


def event_time(value: Any) -> datetime | None:
    """The record's `datetime` (epoch s / ms / µs by magnitude, or ISO-8601) as a UTC instant."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        seconds = value if abs(value) < 10**11 else value / 1000 if abs(value) < 10**14 else value / 10**6
        return datetime.fromtimestamp(seconds, UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def valid_events(entries: list[Entry]) -> list[dict[str, Any]]:
    """The distinct valid events among the records put: (event_id, event_type, instant) once each."""
    events: dict[tuple[str, str, datetime], dict[str, Any]] = {}
    for entry in entries:
        try:
            body = json.loads(entry.data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue
        if not isinstance(body, dict) or not isinstance(body.get("event_id"), str):
            continue
        at = event_time(body.get("datetime"))
        user, bounce, algorithms = body.get("user"), body.get("bounce", False), body.get("algorithms", [])
        if (
            body.get("event_type") not in ("sent", "opened", "clicked")
            or at is None
            or not (user is None or (isinstance(user, int) and not isinstance(user, bool)))
            or not isinstance(bounce, bool)
            or not isinstance(algorithms, list)
        ):
            continue
        events.setdefault((body["event_id"], body["event_type"], at), {**body, "at": at})
    return list(events.values())


@dataclass
class Email:
    sent: dict[str, Any] | None = None
    opens: list[datetime] = field(default_factory=list)
    clicks: list[datetime] = field(default_factory=list)


def emails_put(pipeline: Pipeline) -> dict[str, Email]:
    emails: dict[str, Email] = defaultdict(Email)
    for event in sorted(valid_events(pipeline.entries), key=lambda event: event["at"]):
        email = emails[event["event_id"]]
        if event["event_type"] == "sent":
            email.sent = email.sent or event
        else:
            (email.opens if event["event_type"] == "opened" else email.clicks).append(event["at"])
    return emails


# --- the tests ---------------------------------------------------------------------------------------------------


def test_the_stream_decodes_to_what_the_generator_reports(pipeline: Pipeline) -> None:
    emails = emails_put(pipeline)
    for report in pipeline.reports:
        by_type: dict[str, int] = defaultdict(int)
        for event in valid_events(pipeline.entries):
            sent = emails[event["event_id"]].sent
            if sent is not None and sent["at"].date().isoformat() == report.day:
                by_type[event["event_type"]] += 1
        assert dict(by_type) == report.events_by_type
        assert report.malformed_by_reason and report.producer_retries and report.out_of_order_opens


def test_an_open_before_its_send_is_kept_flagged_then_joins_up(pipeline: Pipeline) -> None:
    before = pipeline.sends_after_a[LATE_SEND_ID]
    assert before["is_send_received"] is False and before["is_opened"] is True and before["partner_id"] is None
    (after,) = pipeline.dicts(f"select * from marts.fct_email_sends where event_id = '{LATE_SEND_ID}'")
    assert after["is_send_received"] is True and after["partner_id"] == "4999"
    assert after["sent_at"] == datetime(LATE_DAY.year, LATE_DAY.month, LATE_DAY.day, 10)
    assert after["minutes_to_open"] == 60 and after["first_opened_device"] == "mobile"
    opens = pipeline.query(
        f"select is_send_received, partner_id from marts.fct_email_events where event_id = '{LATE_SEND_ID}' "
        "and event_type = 'opened'"
    )
    assert opens == [(True, "4999")], "the open loaded in batch A must get its send's attributes in build C"
    (click_only,) = pipeline.dicts(f"select * from marts.fct_email_sends where event_id = '{CLICK_ONLY_ID}'")
    assert click_only["is_opened"] and click_only["is_open_inferred_from_click"] and click_only["open_count"] == 0


def test_daily_funnel_equals_what_was_put_on_the_stream(pipeline: Pipeline) -> None:
    expected: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for email in emails_put(pipeline).values():
        if email.sent is None:
            continue
        day = expected[email.sent["at"].date()]
        day["sent"] += 1
        day["bounced"] += email.sent["bounce"]
        day["opened"] += bool(email.opens or email.clicks)
        day["clicked"] += bool(email.clicks)
    for report in pipeline.reports:  # the generator's own counts: one open and one click per email at most
        day = expected[date.fromisoformat(report.day)]
        assert (day["sent"], day["opened"], day["clicked"]) == (
            report.events_by_type["sent"],
            report.events_by_type["opened"],
            report.events_by_type["clicked"],
        )
    actual = pipeline.dicts("""
        select sent_date, sum(emails_sent) as sent, sum(emails_delivered) as delivered,
            sum(unique_opened) as opened, sum(unique_clicked) as clicked, sum(bounces) as bounced,
            sum(unique_opened) / sum(emails_delivered) as open_rate,
            sum(unique_clicked) / sum(emails_delivered) as click_through_rate,
            sum(unique_clicked) / sum(unique_opened) as click_to_open_rate
        from marts.agg_email_funnel_daily group by 1 order by 1""")
    assert [row["sent_date"] for row in actual] == sorted(expected)
    assert {day for day, *_ in TRAFFIC} | {LATE_DAY} == set(expected)
    for row in actual:
        day = expected[row["sent_date"]]
        delivered = day["sent"] - day["bounced"]
        assert (row["sent"], row["delivered"], row["opened"], row["clicked"], row["bounced"]) == (
            day["sent"],
            delivered,
            day["opened"],
            day["clicked"],
            day["bounced"],
        )
        assert row["open_rate"] == pytest.approx(day["opened"] / delivered, rel=1e-12)
        assert row["click_through_rate"] == pytest.approx(day["clicked"] / delivered, rel=1e-12)
        assert row["click_to_open_rate"] == pytest.approx(day["clicked"] / day["opened"], rel=1e-12)
    # The per-email fact and the per-algorithm companion agree with the day totals.
    per_algorithm = pipeline.query(
        "select algorithm, sum(emails_sent) from marts.agg_email_funnel_daily_by_algorithm group by 1"
    )
    algorithm_sends: dict[str, int] = defaultdict(int)
    for email in emails_put(pipeline).values():
        for algorithm in set(email.sent["algorithms"] if email.sent else []):
            algorithm_sends[algorithm] += 1
    assert dict(per_algorithm) == algorithm_sends


def test_attributed_revenue_equals_an_independent_computation(pipeline: Pipeline) -> None:
    database = pipeline.loader_url.rsplit("/", 1)[1]
    with admin_connection(database) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT o.orderNumber, o.customerNumber, o.orderDate, SUM(d.quantityOrdered * d.priceEach)"
            " FROM orders o JOIN orderdetails d USING (orderNumber) GROUP BY 1, 2, 3"
        )
        orders = cursor.fetchall()
    touches: dict[int, list[tuple[str, datetime, str]]] = defaultdict(list)
    for event_id, email in emails_put(pipeline).items():
        if email.sent is not None and email.sent.get("user") is not None:
            touches[email.sent["user"]] += [("clicked", at, event_id) for at in email.clicks]
            touches[email.sent["user"]] += [("opened", at, event_id) for at in email.opens]
    expected: dict[int, tuple[str, Decimal]] = {}
    for order_number, customer, order_date, sales in orders:
        for kind, window in (("clicked", CLICK_WINDOW_DAYS), ("opened", OPEN_WINDOW_DAYS)):
            inside = [
                (at, event_id)
                for touch_kind, at, event_id in touches[customer]
                if touch_kind == kind and order_date - timedelta(days=window) <= at.date() <= order_date
            ]
            if inside:
                expected[order_number] = (max(inside)[1], Decimal(sales))
                break
    assert expected, "the generated days must precede some orders"
    attributed = pipeline.query(
        "select order_number, attributed_event_id, attributed_revenue from marts.fct_order_attribution "
        "where is_email_attributed"
    )
    assert {order: (event_id, revenue) for order, event_id, revenue in attributed} == expected
    (totals,) = pipeline.query(
        "select sum(attributed_revenue), sum(organic_revenue), sum(sales_amount) from marts.fct_order_attribution"
    )
    assert totals[0] == sum(revenue for _, revenue in expected.values())
    assert totals[0] + totals[1] == totals[2] == sum(Decimal(sales) for *_, sales in orders)


def test_full_refresh_gives_identical_email_marts(pipeline: Pipeline) -> None:
    queries = {model: f"select * from marts.{model} order by {key}" for model, key in EMAIL_MART_KEYS.items()}
    incremental = {model: pipeline.query(sql) for model, sql in queries.items()}
    assert all(incremental.values())
    pipeline.dbt_build("--select", *EMAIL_MARTS, "--vars", dbt_vars(), "--full-refresh")
    assert {model: pipeline.query(sql) for model, sql in queries.items()} == incremental
