"""Demo email traffic on Kinesis: `python -m demo stream` and `python -m demo emails [...]`.

`emails` writes a realistic day of email events for the shop's customers, with the faults of a real
producer (retries, out-of-order delivery, malformed records), and reports what it wrote so tests can
compare the warehouse with it.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from demo.kinesis_producer import MAX_RECORD_BYTES, Entry, create_stream, put_entries
from load.errors import LoadConfigError
from load.local_services import setting

log = logging.getLogger("demo")

PARTNERS = ("4999", "5012", "5120", "6001", "7420")
SUBJECTS = (
    "abandonado-com-ofertas",
    "novidades-da-semana",
    "frete-gratis",
    "volte-sempre",
    "ultimas-unidades",
    "aniversario-cliente",
)
LAYOUTS = ("material-design-layout.html", "minimal-layout.html", "newsletter-2col.html", "promo-banner.html")
ALGORITHMS = ("trends", "abandoned-cart", "best-sellers", "similar-products", "recently-viewed", "cross-sell")
PROVIDERS = {"gmail.com": 45, "hotmail.com": 20, "yahoo.com": 10, "outlook.com": 10, "uol.com.br": 10, "icloud.com": 5}
DEVICES = {"desktop": ("windows", "mac os", "linux"), "mobile": ("android", "ios"), "tablet": ("ipados", "android")}
DEVICE_WEIGHTS = (45, 45, 10)
# Send hours follow campaign schedules: morning, lunch and evening peaks.
SEND_HOURS = {8: 6, 9: 10, 10: 8, 11: 5, 12: 7, 13: 6, 14: 3, 15: 3, 16: 3, 17: 4, 18: 8, 19: 10, 20: 8, 21: 4}
# How producers encode `datetime`; all valid, the loader normalizes them.
DATETIME_FORMATS = {"ms": 70, "s": 10, "us": 10, "iso": 10}

OPEN_RATE, CLICK_RATE, BOUNCE_RATE, COMPLAINT_RATE = 0.35, 0.3, 0.03, 0.004
OPEN_DELAY_MINUTES, CLICK_DELAY_MINUTES = 90.0, 3.0
RETRY_SHARE, OUT_OF_ORDER_SHARE = 0.01, 0.03

# Malformed kind → the reason the loader must give it.
MALFORMED_REASONS = {
    "invalid_json": "invalid_json",
    "non_utf8": "not_utf8",
    "not_an_object": "not_an_object",
    "missing_event_id": "missing_event_id",
    "unknown_event_type": "unknown_event_type",
    "wrong_type": "wrong_type",
    "unparseable_datetime": "invalid_datetime",
    "missing_datetime": "missing_datetime",
}


@dataclass(frozen=True)
class TrafficPlan:
    day: date
    emails: int
    customers: list[int]
    seed: int = 1
    malformed_share: float = 0.02
    # One record of just under 1 MiB tests the size limit; put it once per command, not per day, or a persisted
    # local stream grows by a MiB for every day generated.
    large_record: bool = True


@dataclass
class TrafficReport:
    """What was put: the loader must account for each record, and staging must find each valid event."""

    stream: str = ""
    day: str = ""
    records_put: int = 0
    valid_records: int = 0
    events_by_type: dict[str, int] = field(default_factory=dict)
    producer_retries: int = 0
    out_of_order_opens: int = 0
    datetime_formats: dict[str, int] = field(default_factory=dict)
    large_records: int = 0
    malformed_by_reason: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Event:
    body: dict[str, Any]
    at: datetime
    # Where the record sits in the stream; an out-of-order open is put before its send.
    put_at: datetime


class TrafficGenerator:
    def __init__(self, plan: TrafficPlan) -> None:
        self.plan = plan
        # The day is part of the seed: each day's emails get their own event ids.
        self.rng = random.Random(f"{plan.seed}:{plan.day.isoformat()}")
        self.report = TrafficReport(day=plan.day.isoformat())

    def entries(self) -> list[Entry]:
        events = sorted(self._events(), key=lambda event: event.put_at)
        self.report.events_by_type = dict(Counter(event.body["event_type"] for event in events))
        entries: list[Entry] = []
        for event in events:
            entry = Entry(json.dumps(self._encoded(event)).encode(), event.body["event_id"])
            entries.append(entry)
            if self.rng.random() < RETRY_SHARE:
                # A producer that timed out and sent again: the same bytes twice.
                entries.append(entry)
                self.report.producer_retries += 1
        if entries and self.plan.large_record:
            entries.append(self._large_record())
        self.report.valid_records = len(entries)
        for malformed in self._malformed(len(entries)):
            entries.insert(self.rng.randrange(len(entries) + 1), malformed)
        self.report.records_put = len(entries)
        return entries

    def _events(self) -> list[_Event]:
        events: list[_Event] = []
        for _ in range(self.plan.emails):
            send = self._send()
            events.append(send)
            if send.body["bounce"] or self.rng.random() >= OPEN_RATE:
                continue
            opened = self._reaction(send, "opened", OPEN_DELAY_MINUTES)
            if self.rng.random() < OUT_OF_ORDER_SHARE:
                opened = _Event(opened.body, opened.at, put_at=send.put_at - timedelta(milliseconds=1))
                self.report.out_of_order_opens += 1
            events.append(opened)
            if self.rng.random() < CLICK_RATE:
                events.append(self._reaction(opened, "clicked", CLICK_DELAY_MINUTES))
        return events

    def _send(self) -> _Event:
        rng = self.rng
        hour = rng.choices(list(SEND_HOURS), weights=list(SEND_HOURS.values()))[0]
        at = datetime.combine(self.plan.day, datetime.min.time(), UTC) + timedelta(
            hours=hour, seconds=rng.randrange(3600), milliseconds=rng.randrange(1000)
        )
        bounce = rng.random() < BOUNCE_RATE
        body = {
            "event_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "event_type": "sent",
            "algorithms": rng.sample(ALGORITHMS, rng.randint(1, 3)),
            "layout": rng.choice(LAYOUTS),
            "partner": rng.choice(PARTNERS),
            "user": rng.choice(self.plan.customers),
            "subject": rng.choice(SUBJECTS),
            "bounce": bounce,
            "complaint": not bounce and rng.random() < COMPLAINT_RATE,
            "email_provider": rng.choices(list(PROVIDERS), weights=list(PROVIDERS.values()))[0],
        }
        return _Event(body, at, at)

    def _reaction(self, before: _Event, event_type: str, mean_delay_minutes: float) -> _Event:
        device = self.rng.choices(list(DEVICES), weights=DEVICE_WEIGHTS)[0]
        delay = timedelta(minutes=self.rng.expovariate(1 / mean_delay_minutes), milliseconds=1)
        body = {
            "event_id": before.body["event_id"],
            "event_type": event_type,
            "device": device,
            "os": self.rng.choice(DEVICES[device]),
        }
        at = before.at + delay
        return _Event(body, at, at)

    def _encoded(self, event: _Event) -> dict[str, Any]:
        """The body with `datetime` in one producer's format. The seconds format drops the milliseconds,
        which keeps each (event_id, event_type, instant) distinct: one open and one click per email."""
        fmt = self.rng.choices(list(DATETIME_FORMATS), weights=list(DATETIME_FORMATS.values()))[0]
        self.report.datetime_formats[fmt] = self.report.datetime_formats.get(fmt, 0) + 1
        millis = int(event.at.timestamp() * 1000)
        value: int | str = {
            "ms": millis,
            "s": millis // 1000,
            "us": millis * 1000,
            "iso": event.at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }[fmt]
        return {**event.body, "datetime": value}

    def _large_record(self) -> Entry:
        """A valid send whose unknown `html_preview` field brings the record to just under 1 MiB."""
        send = self._send()
        body = {**send.body, "datetime": int(send.at.timestamp() * 1000), "html_preview": ""}
        self.report.events_by_type["sent"] = self.report.events_by_type.get("sent", 0) + 1
        self.report.large_records += 1
        padding = MAX_RECORD_BYTES - 1024 - len(json.dumps(body))
        body["html_preview"] = "<p>" + "x" * (padding - 7) + "</p>"
        return Entry(json.dumps(body).encode(), body["event_id"])

    def _malformed(self, valid_records: int) -> list[Entry]:
        if self.plan.malformed_share <= 0:
            return []
        kinds = list(MALFORMED_REASONS)
        count = max(len(kinds), round(valid_records * self.plan.malformed_share))
        entries = []
        for index in range(count):
            kind = kinds[index % len(kinds)]  # every kind at least once
            entries.append(Entry(self._malformed_payload(kind), str(uuid.UUID(int=self.rng.getrandbits(128)))))
            reason = MALFORMED_REASONS[kind]
            self.report.malformed_by_reason[reason] = self.report.malformed_by_reason.get(reason, 0) + 1
        return entries

    def _malformed_payload(self, kind: str) -> bytes:
        body = {**self._send().body, "datetime": 1_700_000_000_000}
        rng = self.rng
        if kind == "invalid_json":
            return json.dumps(body).encode()[: rng.randint(5, 60)]
        if kind == "non_utf8":
            return json.dumps({**body, "subject": "promoção"}, ensure_ascii=False).encode("latin-1")
        if kind == "not_an_object":
            return json.dumps([body]).encode()
        if kind == "missing_event_id":
            del body["event_id"]
        elif kind == "unknown_event_type":
            body["event_type"] = rng.choice(("delivered", "unsubscribed", "SENT"))
        elif kind == "wrong_type":
            field_name, value = rng.choice((("user", "cliente-103"), ("bounce", "no"), ("algorithms", "trends")))
            body[field_name] = value
        elif kind == "unparseable_datetime":
            body["datetime"] = rng.choice(("yesterday 10:00", "2024-13-45T25:00:00", "1/2/2024"))
        elif kind == "missing_datetime":
            del body["datetime"]
        return json.dumps(body).encode()


def send_traffic(plan: TrafficPlan) -> TrafficReport:
    """Generate the plan's traffic and put it on the configured stream."""
    from load.kinesis.client import kinesis_client, stream_config  # boto3: only where records are put

    config = stream_config()
    generator = TrafficGenerator(plan)
    entries = generator.entries()
    put_entries(kinesis_client(config.credentials), config.stream_name, entries)
    generator.report.stream = config.stream_name
    return generator.report


def shop_customers_and_day() -> tuple[list[int], date] | None:
    """The demo shop's customer numbers and its last order day, or None when MariaDB is not reachable."""
    from demo.mysql_admin import admin_url, connect

    try:
        with connect(admin_url(None)) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT customerNumber FROM customers ORDER BY customerNumber")
            customers = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT MAX(orderDate) FROM orders")
            (last_order_day,) = cursor.fetchone()
    except Exception as error:  # any reason the shop is not there: fall back to numbered customers
        log.info("demo shop not readable (%s); using customers 1..N and today", type(error).__name__)
        return None
    if not customers:
        return None
    return customers, last_order_day or datetime.now(UTC).date()


def _emails(args: argparse.Namespace) -> None:
    if args.days < 1:
        raise LoadConfigError(f"--days must be at least 1, got {args.days}")
    shop = None if args.customers else shop_customers_and_day()
    customers, shop_day = shop or (list(range(1, (args.customers or 100) + 1)), datetime.now(UTC).date())
    last_day = args.day or shop_day
    # Consecutive days ending on last_day, so the emails lead up to the shop's latest orders (attribution).
    for offset in range(args.days - 1, -1, -1):
        plan = TrafficPlan(
            day=last_day - timedelta(days=offset),
            emails=args.emails,
            customers=customers,
            seed=args.seed,
            malformed_share=args.malformed_share,
            large_record=offset == 0,
        )
        report = send_traffic(plan)
        print(json.dumps(asdict(report), sort_keys=True))


def _stream(args: argparse.Namespace) -> None:
    from load.kinesis.client import kinesis_client, stream_config

    config = stream_config()
    created = create_stream(kinesis_client(config.credentials), config.stream_name, args.shards)
    state = "created" if created else "exists"
    print(f"kinesis stream {config.identity()}: {state}, ACTIVE")


def add_commands(subparsers: Any) -> None:
    stream = subparsers.add_parser("stream", help="create the demo Kinesis stream (idempotent) and wait until ACTIVE")
    stream.add_argument("--shards", type=int, default=int(setting("KINESIS_SHARDS")), help="shards of a new stream")
    stream.set_defaults(handler=_stream)

    emails = subparsers.add_parser("emails", help="put days of email events (with faults) on the stream")
    emails.add_argument("--day", type=date.fromisoformat, help="YYYY-MM-DD; default: the shop's last order day")
    emails.add_argument("--emails", type=int, default=2000, help="emails sent each day (default 2000)")
    emails.add_argument("--days", type=int, default=1, help="days of traffic ending on --day (default 1)")
    emails.add_argument("--customers", type=int, help="use customers 1..N instead of the shop's customers")
    emails.add_argument("--seed", type=int, default=1, help="random seed (same seed, same traffic)")
    emails.add_argument("--malformed-share", type=float, default=0.02, help="share of malformed records (default 0.02)")
    emails.set_defaults(handler=_emails)
