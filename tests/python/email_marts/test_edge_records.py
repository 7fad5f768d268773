"""No single email record breaks the daily build: edge records on the real local Kinesis and MariaDB servers.

One pipeline per module: the demo shop is created and loaded, then one record of each edge kind below goes on a
multi-shard stream (its partition key names the kind), `python -m load run kinesis` loads them, and
`scripts/build.sh` runs the daily `dbt build` and publishes the marts. Each kind is either loaded and found in
every email mart, or rejected with the reason it names; nothing is lost and nothing fails the build.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from email_marts.email_records import at_ms, private_sources, send_body

from demo.classicmodels import LAST_HISTORY_DAY, create_demo
from demo.kinesis_producer import Entry, put_entries
from isolated_run import isolated_env, run_checked
from load.kinesis.client import kinesis_client, stream_config
from load.kinesis.validation import REASONS
from load.local_services import REPO_ROOT, mysql_url
from local_mysql import admin_connection

SHARDS = 3
DAY = LAST_HISTORY_DAY - timedelta(days=3)
# The window the loader runs with here (set through the environment, as a deployment would).
MAX_EVENT_AGE_DAYS, MAX_EVENT_AHEAD_HOURS = 10_000, 24
EMAIL_MARTS = (
    "fct_email_events",
    "fct_email_sends",
    "bridge_email_algorithms",
    "agg_email_funnel_daily",
    "agg_email_funnel_daily_by_algorithm",
    "fct_partner_usage_minutely",
    "fct_order_attribution",
)


@dataclass(frozen=True)
class Edge:
    """One kind of record: its bytes and the reason it is rejected with (None: loaded)."""

    kind: str
    data: bytes
    reason: str | None = None


def at(hour: int, minute: int = 0) -> int:
    return at_ms(DAY, hour, minute)


def body(event_id: str, event_type: str = "sent", **fields: Any) -> dict[str, Any]:
    return {"event_id": event_id, "event_type": event_type, "datetime": at(10)} | fields


def send(event_id: str, customer: int, **fields: Any) -> dict[str, Any]:
    return send_body(event_id, customer, at(10), **fields)


def encoded(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def loaded_edges(customer: int, now: datetime) -> list[Edge]:
    """Records the loader must take, each flowing through every email mart."""
    now_ms = int(now.timestamp() * 1000)
    return [
        # the smallest valid record: no customer, partner, subject, layout or provider
        Edge("minimal_send", b'{"event_id":"min-1","event_type":"sent","datetime":1123920000000}'),
        Edge("full_send", encoded(send("full-1", customer))),
        Edge("open_after_send", encoded(body("full-1", "opened", datetime=at(10, 30), device="mobile"))),
        Edge("click_after_open", encoded(body("full-1", "clicked", datetime=at(10, 31), device="mobile"))),
        Edge("send_of_skewed_open", encoded(send("skew-1", customer))),
        Edge("open_stamped_before_send", encoded(body("skew-1", "opened", datetime=at(9, 59), os="ios"))),
        Edge("click_without_send", encoded(body("orphan-1", "clicked", datetime=at(11), device="desktop"))),
        Edge("send_of_click_only", encoded(send("click-only-1", customer))),
        Edge("click_without_open", encoded(body("click-only-1", "clicked", datetime=at(10, 5)))),
        Edge("retried_record", encoded(send("retried-1", customer))),
        Edge("retried_record", encoded(send("retried-1", customer))),
        Edge("same_event_other_attributes", encoded(send("retried-1", customer, partner="5012"))),
        Edge("send_published_again_later", encoded(send("retried-1", customer, datetime=at(12)))),
        Edge("iso_datetime_with_offset", encoded(send("iso-1", customer, datetime=f"{DAY}T07:00:00-03:00"))),
        Edge("iso_datetime_naive", encoded(send("iso-2", customer, datetime=f"{DAY} 10:00:00.123456"))),
        Edge("iso_datetime_padded", encoded(send("iso-3", customer, datetime=f"  {DAY}T10:00:00Z "))),
        Edge("iso_date_only", encoded(send("iso-4", customer, datetime=DAY.isoformat()))),
        Edge("epoch_seconds", encoded(send("epoch-s", customer, datetime=at(10) // 1000))),
        Edge("epoch_microseconds", encoded(send("epoch-us", customer, datetime=at(10) * 1000))),
        Edge("epoch_float_seconds", encoded(send("epoch-f", customer, datetime=at(10) / 1000 + 0.25))),
        Edge("a_day_before_arrival", encoded(send("recent-1", customer, datetime=now_ms - 86_400_000))),
        Edge("two_hours_ahead_of_arrival", encoded(send("ahead-1", customer, datetime=now_ms + 7_200_000))),
        Edge("unknown_fields", encoded(send("extra-1", customer, campaign={"id": 7, "tags": ["a", None]}))),
        Edge(
            "wide_integer_unknown_field",
            b'{"event_id":"wide-1","event_type":"sent","datetime":%d,"trace":%d}' % (at(10), 10**30),
        ),
        Edge("huge_subject", encoded(send("huge-1", customer, subject="s" * 500_000))),
        Edge("huge_unknown_field", encoded(send("huge-2", customer, html_preview="<p>" + "x" * 900_000))),
        Edge("unicode_text", encoded(send("uni-é-1", customer, subject="promoção 🎉 עברית \u200f", layout="ø"))),
        Edge("empty_texts", encoded(send("empty-1", customer, partner="", subject="", layout=""))),
        Edge("blank_texts", encoded(send("blank-1", customer, email_provider="   ", subject="\u3000"))),
        Edge("negative_customer", encoded(send("neg-1", -5))),
        Edge("customer_zero", encoded(send("zero-1", 0))),
        Edge("customer_not_in_shop", encoded(send("stranger-1", 2**62))),
        Edge("null_fields", encoded(send("nulls-1", customer, user=None, bounce=None, algorithms=None))),
        Edge("empty_algorithms", encoded(send("algo-0", customer, algorithms=[]))),
        Edge("repeated_algorithms", encoded(send("algo-2", customer, algorithms=["trends", "trends"]))),
        Edge("odd_algorithm_names", encoded(send("algo-3", customer, algorithms=["a,b", 'c"d', "[x]", "", "|"]))),
        # grain values that run into each other when joined with a separator, or spell a null marker
        Edge("separator_in_partner", encoded(send("sep-1", customer, partner="p|q", subject="s"))),
        Edge("separator_in_subject", encoded(send("sep-2", customer, partner="p", subject="q|s"))),
        Edge("null_marker_partner", encoded(send("marker-1", customer, partner="<null>", datetime=at(11)))),
        Edge("bounced_and_complained", encoded(send("bounce-1", customer, bounce=True, complaint=True))),
        Edge("event_id_with_spaces", encoded(send(" spaced-1 ", customer))),
        Edge("long_event_id", encoded(send("long-" + "9" * 10_000, customer))),
        Edge("padded_payload", b"  \n" + encoded(send("padded-1", customer)) + b"\n  "),
        Edge("escaped_non_ascii", json.dumps(send("escaped-1", customer, subject="ação")).encode()),
    ]


def rejected_edges(customer: int, now: datetime) -> list[Edge]:
    """Records the loader must reject, each with its reason."""
    valid = send("rejected-1", customer)
    now_ms = int(now.timestamp() * 1000)

    def with_fields(**fields: Any) -> bytes:
        return encoded({**valid, **fields})

    without = {name: encoded({key: value for key, value in valid.items() if key != name}) for name in valid}
    text = encoded(valid).decode()
    return [
        Edge("epoch_zero", with_fields(datetime=0), "implausible_datetime"),
        Edge("epoch_minus_one", with_fields(datetime=-1), "implausible_datetime"),
        Edge("iso_year_9999", with_fields(datetime="9999-12-31T23:59:59Z"), "implausible_datetime"),
        Edge("year_9999_seconds_read_as_ms", with_fields(datetime=253_402_300_799), "implausible_datetime"),
        Edge("thirty_hours_ahead", with_fields(datetime=now_ms + 30 * 3_600_000), "implausible_datetime"),
        Edge("older_than_the_window", with_fields(datetime=now_ms - 10_001 * 86_400_000), "implausible_datetime"),
        Edge("nul_in_subject", with_fields(subject="promo\u0000"), "control_character"),
        Edge("tab_in_layout", with_fields(layout="a\tb"), "control_character"),
        Edge("newline_in_event_id", with_fields(event_id="e\n1"), "control_character"),
        Edge("c1_control_in_device", with_fields(device="\u0085"), "control_character"),
        Edge("control_in_algorithm", with_fields(algorithms=["trends\u007f"]), "control_character"),
        Edge(
            "duplicate_event_type",
            text.replace('"event_type": "sent"', '"event_type": "opened", "event_type": "sent"').encode(),
            "duplicate_key",
        ),
        Edge("duplicate_nested_key", text.replace("{", '{"x": {"a": 1, "a": 2}, ', 1).encode(), "duplicate_key"),
        Edge("not_json", b"sent an email", "invalid_json"),
        Edge("truncated_json", encoded(valid)[:40], "invalid_json"),
        Edge("empty_payload", b"", "invalid_json"),
        Edge("whitespace_payload", b"   ", "invalid_json"),
        Edge("byte_order_mark", b"\xef\xbb\xbf" + encoded(valid), "invalid_json"),
        Edge("raw_nul_byte", encoded(valid) + b"\x00", "invalid_json"),
        Edge("raw_newline_in_string", text.replace("volte-sempre", "volte\nsempre").encode(), "invalid_json"),
        Edge("nan_datetime", text.replace(str(valid["datetime"]), "NaN").encode(), "invalid_json"),
        Edge("number_beyond_a_double", text.replace(str(valid["datetime"]), "1e400").encode(), "invalid_json"),
        Edge("lone_surrogate", with_fields(subject="x").replace(b'"x"', b'"\\ud800"'), "invalid_json"),
        Edge("deeply_nested", b"[" * 100_000 + b"]" * 100_000, "invalid_json"),
        Edge("array", encoded([valid]), "not_an_object"),
        Edge("json_string", b'"sent"', "not_an_object"),
        Edge("json_number", b"1123920000000", "not_an_object"),
        Edge("json_null", b"null", "not_an_object"),
        Edge(
            "latin1_text",
            json.dumps({**valid, "subject": "promoção"}, ensure_ascii=False).encode("latin-1"),
            "not_utf8",
        ),
        Edge("encoded_surrogate", encoded(valid).replace(b"volte", b"\xed\xa0\x80"), "not_utf8"),
        Edge("missing_event_id", without["event_id"], "missing_event_id"),
        Edge("empty_event_id", with_fields(event_id=""), "missing_event_id"),
        Edge("blank_event_id", with_fields(event_id="  "), "missing_event_id"),
        Edge("numeric_event_id", with_fields(event_id=42), "wrong_type"),
        Edge("missing_event_type", without["event_type"], "missing_event_type"),
        Edge("unknown_event_type", with_fields(event_type="delivered"), "unknown_event_type"),
        Edge("upper_case_event_type", with_fields(event_type="SENT"), "unknown_event_type"),
        Edge("padded_event_type", with_fields(event_type=" sent"), "unknown_event_type"),
        Edge("array_event_type", with_fields(event_type=["sent"]), "wrong_type"),
        Edge("object_event_type", with_fields(event_type={"name": "sent"}), "wrong_type"),
        Edge("missing_datetime", without["datetime"], "missing_datetime"),
        Edge("words_datetime", with_fields(datetime="yesterday 10:00"), "invalid_datetime"),
        Edge("epoch_as_string", with_fields(datetime=str(valid["datetime"])), "invalid_datetime"),
        Edge("impossible_date", with_fields(datetime="2005-02-30T10:00:00Z"), "invalid_datetime"),
        Edge("epoch_beyond_microseconds", with_fields(datetime=10**18), "invalid_datetime"),
        Edge("boolean_datetime", with_fields(datetime=True), "wrong_type"),
        Edge("customer_as_string", with_fields(user=str(customer)), "wrong_type"),
        Edge("fractional_customer", with_fields(user=103.5), "wrong_type"),
        Edge("boolean_customer", with_fields(user=True), "wrong_type"),
        Edge("customer_beyond_64_bits", with_fields(user=2**64), "wrong_type"),
        Edge("string_bounce", with_fields(bounce="false"), "wrong_type"),
        Edge("string_algorithms", with_fields(algorithms="trends"), "wrong_type"),
        Edge("numeric_algorithm", with_fields(algorithms=["trends", 3]), "wrong_type"),
        Edge("numeric_partner", with_fields(partner=4999), "wrong_type"),
        Edge("object_subject", with_fields(subject={"pt": "oi"}), "wrong_type"),
    ]


@dataclass
class Pipeline:
    workdir: Path
    customer: int
    edges: list[Edge]
    load_line: str
    build: subprocess.CompletedProcess[str]

    @property
    def marts(self) -> Path:
        return self.workdir / "marts.duckdb"

    def query(self, sql: str, database: Path | None = None) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(database or self.workdir / "w.duckdb"), read_only=True) as connection:
            return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    workdir = tmp_path_factory.mktemp("edge_records")
    with private_sources("edge-records", SHARDS, workdir) as (stream, database):
        env = isolated_env(
            workdir,
            SOURCES__MYSQL__CREDENTIALS=mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD", database),
            SOURCES__KINESIS__STREAM_NAME=stream,
            SOURCES__KINESIS__MAX_EVENT_AGE_DAYS=str(MAX_EVENT_AGE_DAYS),
            SOURCES__KINESIS__MAX_EVENT_AHEAD_HOURS=str(MAX_EVENT_AHEAD_HOURS),
            MARTS_PATH=str(workdir / "marts.duckdb"),
        )
        create_demo(mysql_url("MARIADB_ADMIN_USER", "MARIADB_ADMIN_PASSWORD", database), scale=1, seed=7)
        run_checked([sys.executable, "-m", "load", "run", "mysql"], env, timeout=300)
        with admin_connection(database) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT MIN(customerNumber) FROM customers")
            (customer,) = cursor.fetchone()
        now = datetime.now(UTC)
        edges = loaded_edges(customer, now) + rejected_edges(customer, now)
        kinesis = kinesis_client(stream_config().credentials)
        put_entries(kinesis, stream, [Entry(edge.data, edge.kind) for edge in edges])
        loaded = subprocess.run(
            [sys.executable, "-m", "load", "run", "kinesis"], env=env, capture_output=True, text=True, timeout=300
        )
        assert loaded.returncode == 0, loaded.stderr[-3000:]
        (load_line,) = re.findall(r"records read .*", loaded.stdout)
        build_script = str(REPO_ROOT / "scripts" / "build.sh")
        build = subprocess.run([build_script], env=env, capture_output=True, text=True, timeout=900)
        yield Pipeline(workdir, customer, edges, load_line, build)


def test_there_are_at_least_forty_kinds_and_every_reason_is_exercised(pipeline: Pipeline) -> None:
    kinds = {edge.kind for edge in pipeline.edges}
    assert len(kinds) >= 40
    assert {edge.reason for edge in pipeline.edges if edge.reason} == set(REASONS)


def test_every_record_read_is_loaded_or_rejected(pipeline: Pipeline) -> None:
    loaded = sum(edge.reason is None for edge in pipeline.edges)
    rejected = len(pipeline.edges) - loaded
    assert pipeline.load_line == f"records read {len(pipeline.edges)} = loaded {loaded} + rejected {rejected}"


def test_each_kind_lands_where_it_should_with_its_reason(pipeline: Pipeline) -> None:
    landed = Counter(
        pipeline.query(
            "select partition_key, null from raw_email.email_events union all "
            "select partition_key, reason from raw_email.email_events_rejected"
        )
    )
    assert landed == Counter((edge.kind, edge.reason) for edge in pipeline.edges)
    (stored_as_sent,) = pipeline.query(
        "select count(*) from raw_email.email_events_rejected where reason = 'control_character' "
        "and payload like '%promo\\u0000%'"
    )
    assert stored_as_sent == (1,), "a rejected record keeps its payload as the producer sent it"


def test_the_daily_build_passes_and_publishes(pipeline: Pipeline) -> None:
    output = pipeline.build.stdout + pipeline.build.stderr
    assert pipeline.build.returncode == 0, output[-5000:]
    assert re.search(r"Done\. PASS=\d+ WARN=\d+ ERROR=0 SKIP=0", output), output[-3000:]
    published = dict(pipeline.query("select table_name, row_count from meta.publication", pipeline.marts))
    assert all(published.get(mart, 0) > 0 for mart in EMAIL_MARTS), published


def test_every_loaded_email_reaches_every_email_mart(pipeline: Pipeline) -> None:
    raw_emails = set(pipeline.query("select distinct event_id, event_type from raw_email.email_events"))
    assert set(pipeline.query("select distinct event_id, event_type from fct_email_events", pipeline.marts)) == (
        raw_emails
    )
    sends = {event_id for event_id, event_type in raw_emails if event_type == "sent"}
    per_email = dict(pipeline.query("select event_id, is_send_received from fct_email_sends", pipeline.marts))
    assert per_email == {event_id: event_id in sends for event_id, _ in raw_emails}
    (funnel_sends,) = pipeline.query("select sum(emails_sent) from agg_email_funnel_daily", pipeline.marts)
    assert funnel_sends == (len(sends),)
    (usage_events,) = pipeline.query("select sum(total_events) from fct_partner_usage_minutely", pipeline.marts)
    (distinct_events,) = pipeline.query(
        "select count(*) from (select distinct event_id, event_type, event_at from raw_email.email_events)"
    )
    assert usage_events == distinct_events


def test_missing_send_attributes_are_explicitly_unknown(pipeline: Pipeline) -> None:
    rows = pipeline.query(
        "select event_id, customer_number, customer_key = (select customer_key from dim_customers "
        "where customer_number = -1), partner_id, subject, layout, email_provider from fct_email_sends "
        "where event_id in ('min-1', 'empty-1', 'blank-1', 'neg-1') order by event_id",
        pipeline.marts,
    )
    assert rows == [
        ("blank-1", pipeline.customer, False, "4999", "Unknown", "minimal-layout.html", "Unknown"),
        ("empty-1", pipeline.customer, False, "-1", "Unknown", "Unknown", "gmail.com"),
        ("min-1", -1, True, "-1", "Unknown", "Unknown", "Unknown"),
        ("neg-1", -5, True, "4999", "volte-sempre", "minimal-layout.html", "gmail.com"),
    ]


def test_delays_follow_the_one_minutes_rule(pipeline: Pipeline) -> None:
    rows = dict(
        pipeline.query(
            "select event_id, minutes_to_open from fct_email_sends where event_id in ('skew-1', 'full-1')",
            pipeline.marts,
        )
    )
    assert rows == {"skew-1": 0.0, "full-1": 30.0}
    (negative,) = pipeline.query("select count(*) from fct_email_events where minutes_since_sent < 0", pipeline.marts)
    assert negative == (0,)
