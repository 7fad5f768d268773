"""Demo web-shop clickstream on Kinesis: `python -m demo clicks [...]`.

Page views of the shop's customers (home, category, product pages with the shop's product codes, cart,
checkout), in visits that come from a traffic source, with the faults and rhythm of real traffic: bursts and
idle minutes, records that arrive late (put after newer ones), producer retries (the same record twice) and
malformed records. It reports what it put, so tests can compare the warehouse with it.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from demo.emails import DEVICE_WEIGHTS, DEVICES
from demo.kinesis_producer import Entry, create_stream, put_entries
from load.local_services import setting

log = logging.getLogger("demo")

DEFAULT_STREAM = "clickstream"
# Traffic source → referrer (None: typed in or a bookmark).
TRAFFIC_SOURCES = {
    "direct": (40, None),
    "google": (25, "https://www.google.com/"),
    "bing": (4, "https://www.bing.com/"),
    "facebook": (8, "https://www.facebook.com/"),
    "instagram": (8, "https://l.instagram.com/"),
    "email": (10, "https://mail.google.com/"),
    "affiliate": (5, "https://www.cupom-desconto.com.br/"),
}
SHOP_LINES = ("Classic Cars", "Motorcycles", "Planes", "Ships", "Trains", "Trucks and Buses", "Vintage Cars")
# Mean seconds between two views of a visit; visits end with this chance after each view.
VIEW_GAP_SECONDS, EXIT_RATE = 35.0, 0.3
# Per minute of traffic: the chance it is idle (no new visit) or a burst (five times the visits).
IDLE_SHARE, BURST_SHARE, BURST_FACTOR = 0.15, 0.1, 5
# A customer on the same device comes back after a pause longer than any session gap (a second session).
RETURN_SHARE, RETURN_AFTER_MINUTES = 0.15, (35, 90)
DUPLICATE_SHARE, LATE_SHARE = 0.02, 0.03
MALFORMED_REASONS = {
    "invalid_json": "invalid_json",
    "missing_customer_id": "missing_customer_id",
    "unknown_device": "unknown_device",
    "invalid_url": "invalid_url",
    "unparseable_datetime": "invalid_datetime",
}


@dataclass(frozen=True)
class Shop:
    customers: list[int]
    # product code → its line (category)
    products: dict[str, str]


@dataclass(frozen=True)
class ClickPlan:
    """Visits starting within `minutes` before `end`, of the shop's customers and products."""

    end: datetime
    minutes: int
    visits: int
    shop: Shop
    seed: int = 1
    duplicate_share: float = DUPLICATE_SHARE
    late_share: float = LATE_SHARE
    malformed_share: float = 0.01


@dataclass
class ClickReport:
    """What was put: the loader accounts for every record; staging finds each distinct view once."""

    stream: str = ""
    records_put: int = 0
    valid_records: int = 0
    distinct_views: int = 0
    visits: int = 0
    duplicates: int = 0
    late_records: int = 0
    first_view_at: str = ""
    last_view_at: str = ""
    views_by_device: dict[str, int] = field(default_factory=dict)
    views_by_page: dict[str, int] = field(default_factory=dict)
    malformed_by_reason: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PageView:
    event_id: str
    customer_id: int
    device: str
    os: str
    url: str
    traffic_source: str
    referrer: str | None
    at: datetime

    def body(self) -> dict[str, Any]:
        view = asdict(self)
        del view["at"]
        return {**view, "datetime": int(self.at.timestamp() * 1000)}


def category_path(line: str) -> str:
    return "/category/" + re.sub(r"[^a-z0-9]+", "-", line.lower()).strip("-")


class ClickGenerator:
    def __init__(self, plan: ClickPlan) -> None:
        self.plan = plan
        self.rng = random.Random(f"{plan.seed}:{plan.end.isoformat()}")
        self.report = ClickReport()
        self.views: list[PageView] = []
        self._codes = sorted(plan.shop.products)
        self._lines = sorted(set(plan.shop.products.values()))

    def entries(self) -> list[Entry]:
        """Every record in put order: views by time, a few held back (late), retries and malformed ones mixed in."""
        self.views = sorted(self._all_views(), key=lambda view: view.at)
        entries: list[Entry] = []
        held_back: list[Entry] = []
        for view in self.views:
            entry = Entry(json.dumps(view.body()).encode(), f"{view.customer_id}/{view.device}")
            if self.rng.random() < self.plan.late_share:
                held_back.append(entry)  # arrives after the rest: older than views already on the stream
                continue
            entries.append(entry)
            if self.rng.random() < self.plan.duplicate_share:
                entries.append(entry)  # a producer retry: the same bytes twice
                self.report.duplicates += 1
        entries.extend(held_back)
        self.report.late_records = len(held_back)
        self.report.valid_records = len(entries)
        for malformed in self._malformed(len(entries)):
            entries.insert(self.rng.randrange(len(entries) + 1), malformed)
        self._sum_up(entries)
        return entries

    def _sum_up(self, entries: list[Entry]) -> None:
        report = self.report
        report.records_put = len(entries)
        report.distinct_views = len(self.views)
        report.views_by_device = dict(Counter(view.device for view in self.views))
        report.views_by_page = dict(Counter(view.url.split("/")[1] or "home" for view in self.views))
        if self.views:
            report.first_view_at = self.views[0].at.isoformat()
            report.last_view_at = self.views[-1].at.isoformat()

    def _all_views(self) -> list[PageView]:
        starts = self._visit_starts()
        self.report.visits = len(starts)
        views: list[PageView] = []
        for start in starts:
            customer = self.rng.choice(self.plan.shop.customers)
            device = self.rng.choices(list(DEVICES), weights=DEVICE_WEIGHTS)[0]
            os = self.rng.choice(DEVICES[device])
            views.extend(self._visit(customer, device, os, start))
            if self.rng.random() < RETURN_SHARE:
                again = start + timedelta(minutes=self.rng.uniform(*RETURN_AFTER_MINUTES))
                if again < self.plan.end:
                    self.report.visits += 1
                    views.extend(self._visit(customer, device, os, again))
        return [view for view in views if view.at < self.plan.end]

    def _visit_starts(self) -> list[datetime]:
        """Visit start times: minutes of normal traffic, idle minutes and bursts."""
        first = self.plan.end - timedelta(minutes=self.plan.minutes)
        weights = []
        for _ in range(self.plan.minutes):
            roll = self.rng.random()
            weights.append(0 if roll < IDLE_SHARE else BURST_FACTOR if roll < IDLE_SHARE + BURST_SHARE else 1)
        if not any(weights):
            weights[-1] = 1
        minutes = self.rng.choices(range(self.plan.minutes), weights=weights, k=self.plan.visits)
        return sorted(first + timedelta(minutes=minute, seconds=self.rng.random() * 60) for minute in minutes)

    def _visit(self, customer: int, device: str, os: str, start: datetime) -> list[PageView]:
        source = self.rng.choices(list(TRAFFIC_SOURCES), weights=[w for w, _ in TRAFFIC_SOURCES.values()])[0]
        referrer = TRAFFIC_SOURCES[source][1]
        at = start.replace(microsecond=start.microsecond // 1000 * 1000)
        views = []
        for url in self._path():
            event_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
            views.append(PageView(event_id, customer, device, os, url, source, referrer, at))
            at += timedelta(milliseconds=int(1000 * (1 + self.rng.expovariate(1 / VIEW_GAP_SECONDS))))
        return views

    def _path(self) -> list[str]:
        """Home or a landing product, categories and products, then maybe cart and checkout."""
        rng = self.rng
        path = ["/"] if rng.random() < 0.6 else [f"/product/{rng.choice(self._codes)}"]
        while rng.random() > EXIT_RATE:
            if rng.random() < 0.35:
                path.append(category_path(rng.choice(self._lines)))
            path.append(f"/product/{rng.choice(self._codes)}")
        if rng.random() < 0.3:
            path.append("/cart")
            if rng.random() < 0.5:
                path.append("/checkout")
        return path

    def _malformed(self, valid_records: int) -> list[Entry]:
        if self.plan.malformed_share <= 0 or not self.views:
            return []
        kinds = list(MALFORMED_REASONS)
        count = max(len(kinds), round(valid_records * self.plan.malformed_share))
        entries = []
        for index in range(count):
            kind = kinds[index % len(kinds)]
            body = self.rng.choice(self.views).body() | {"event_id": str(uuid.UUID(int=self.rng.getrandbits(128)))}
            if kind == "invalid_json":
                payload = json.dumps(body).encode()[: self.rng.randint(5, 40)]
            else:
                body |= {
                    "missing_customer_id": {"customer_id": None},
                    "unknown_device": {"device": "smart-fridge"},
                    "invalid_url": {"url": "www.shop.example/cart"},
                    "unparseable_datetime": {"datetime": "yesterday 10:00"},
                }[kind]
                payload = json.dumps(body).encode()
            entries.append(Entry(payload, body["event_id"]))
            reason = MALFORMED_REASONS[kind]
            self.report.malformed_by_reason[reason] = self.report.malformed_by_reason.get(reason, 0) + 1
        return entries


def shop_catalog(customers: int | None) -> Shop:
    """The demo shop's customers and products from MariaDB; numbered customers and made-up codes without it."""
    if not customers:
        from demo.mysql_admin import admin_url, connect

        try:
            with connect(admin_url(None)) as connection, connection.cursor() as cursor:
                cursor.execute("SELECT customerNumber FROM customers ORDER BY customerNumber")
                numbers = [row[0] for row in cursor.fetchall()]
                cursor.execute("SELECT productCode, productLine FROM products ORDER BY productCode")
                products = dict(cursor.fetchall())
            if numbers and products:
                return Shop(numbers, products)
        except Exception as error:  # any reason the shop is not there: fall back to a made-up one
            log.info("demo shop not readable (%s); using customers 1..100 and made-up products", type(error).__name__)
    made_up = {f"S{10 + index % 9}_{1000 + index}": SHOP_LINES[index % len(SHOP_LINES)] for index in range(60)}
    return Shop(list(range(1, (customers or 100) + 1)), made_up)


def clickstream_target() -> tuple[Any, str]:
    """A Kinesis client and the clickstream's name: the configured one, else `clickstream`."""
    from load.errors import LoadConfigError
    from load.kinesis.client import kinesis_client, stream_config, stream_configs

    try:
        config = stream_config("clickstream")
    except LoadConfigError:
        config = stream_configs()[0]
        log.info(
            "no [sources.kinesis.streams] clickstream configured: using stream %r (the loader reads it once it is "
            "configured)",
            DEFAULT_STREAM,
        )
        return kinesis_client(config.credentials), DEFAULT_STREAM
    return kinesis_client(config.credentials), config.stream_name


def send_clicks(plan: ClickPlan, client: Any, stream: str) -> ClickReport:
    generator = ClickGenerator(plan)
    put_entries(client, stream, generator.entries())
    generator.report.stream = stream
    return generator.report


def _clicks(args: argparse.Namespace) -> None:
    from load.errors import LoadConfigError

    if args.minutes < 1 or args.visits < 1:
        raise LoadConfigError("--minutes and --visits must be at least 1")
    client, stream = clickstream_target()
    create_stream(client, stream, args.shards)
    shop = shop_catalog(args.customers)
    if args.live:
        _live(args, client, stream, shop)
        return
    end = args.end or datetime.now(UTC)
    end = end if end.tzinfo else end.replace(tzinfo=UTC)
    plan = ClickPlan(end=end, minutes=args.minutes, visits=args.visits, shop=shop, seed=args.seed)
    print(json.dumps(asdict(send_clicks(plan, client, stream)), sort_keys=True))


def _live(args: argparse.Namespace, client: Any, stream: str, shop: Shop) -> None:
    plan = ClickPlan(
        end=datetime.now(UTC) + timedelta(seconds=args.live),
        minutes=max(1, round(args.live / 60)),
        visits=args.visits,
        shop=shop,
        seed=args.seed,
    )
    views = put_as_they_happen(client, stream, plan, args.every)
    print(json.dumps({"stream": stream, "records_put": views, "distinct_views": views}, sort_keys=True))


def put_as_they_happen(client: Any, stream: str, plan: ClickPlan, every: float) -> int:
    """The plan's views (no faults), each put once its time has come, every `every` seconds until the plan's end:
    traffic as it happens, for near-real-time runs. Returns the views put."""
    generator = ClickGenerator(plan)
    generator.entries()
    pending = generator.views
    while pending:
        time.sleep(every)
        now = datetime.now(UTC)
        due = [view for view in pending if view.at <= now]
        pending = pending[len(due) :]
        put_entries(client, stream, [Entry(json.dumps(view.body()).encode(), view.event_id) for view in due])
    return len(generator.views)


def add_commands(subparsers: Any) -> None:
    clicks = subparsers.add_parser(
        "clicks", help="put shop page views (bursts, late, duplicate, malformed records) on the clickstream"
    )
    clicks.add_argument("--visits", type=int, default=200, help="visits per --minutes (default 200)")
    clicks.add_argument("--minutes", type=int, default=30, help="minutes of traffic ending at --end (default 30)")
    clicks.add_argument("--end", type=datetime.fromisoformat, help="ISO time the traffic ends at (default now)")
    clicks.add_argument("--customers", type=int, help="use customers 1..N and made-up products instead of the shop's")
    clicks.add_argument("--seed", type=int, default=1, help="random seed (same seed and --end, same traffic)")
    clicks.add_argument("--shards", type=int, default=int(setting("KINESIS_SHARDS")), help="shards of a new stream")
    clicks.add_argument(
        "--live", type=float, metavar="SECONDS", help="--visits over the next SECONDS, each view put as it happens"
    )
    clicks.add_argument("--every", type=float, default=2.0, help="with --live: seconds between puts (default 2)")
    clicks.set_defaults(handler=_clicks)
