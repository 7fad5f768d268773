"""Demo shop transactions on Kafka: `python -m demo shop [--transactions N] [--day YYYY-MM-DD] ...`.

Writes an online shop's real-time orders in the "Online Shop Business" shape (`TransactionNo, Date, ProductNo,
ProductName, Price, Quantity, CustomerNo, Country`; a `C` before TransactionNo marks a cancellation, with a negative
Quantity), plus a few malformed messages, onto the topic (default `shop-transactions`, 3 partitions on the local
broker). It reports its own totals, so tests can hold the warehouse's marts against them to the cent.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from load.errors import LoadConfigError
from load.local_services import setting

# (ProductNo, ProductName, Price): a gift shop's catalogue.
PRODUCTS = (
    ("22485", "Set Of 2 Wooden Market Crates", Decimal("21.47")),
    ("22596", "Christmas Star Wish List Chalkboard", Decimal("10.65")),
    ("23235", "Storage Tin Vintage Leaf", Decimal("11.53")),
    ("23272", "Tree T-Light Holder Willie Winkie", Decimal("10.65")),
    ("23239", "Set Of 4 Knick Knack Tins Poppies", Decimal("11.94")),
    ("21705", "Bag 500g Swirly Marbles", Decimal("10.65")),
    ("22118", "Joy Wooden Block Letters", Decimal("11.53")),
    ("22119", "Peace Wooden Block Letters", Decimal("12.25")),
    ("22217", "T-Light Holder Hanging Lace", Decimal("10.65")),
    ("22216", "T-Light Holder White Lace", Decimal("10.55")),
    ("21115", "Rose Caravan Doorstop", Decimal("12.25")),
    ("22212", "Four Hook White Lovebirds", Decimal("11.44")),
    ("85123A", "Cream Hanging Heart T-Light Holder", Decimal("12.86")),
    ("84879", "Assorted Colour Bird Ornament", Decimal("6.04")),
    ("21212", "Pack Of 72 Retrospot Cake Cases", Decimal("6.19")),
)
COUNTRIES = {"United Kingdom": 80, "Germany": 5, "France": 5, "EIRE": 4, "Netherlands": 3, "Australia": 2, "Spain": 1}
# Malformed kind → the reason the loader must give it.
MALFORMED_REASONS = {
    "invalid_json": "invalid_json",
    "not_an_object": "not_an_object",
    "missing_field": "missing_field",
    "wrong_type": "wrong_type",
    "bad_transaction_no": "invalid_transaction_no",
    "bad_date": "invalid_date",
    "bad_price": "invalid_price",
    "bad_quantity": "invalid_quantity",
}
FIRST_TRANSACTION_NO = 581_000
# Transaction numbers a run may use (sales and cancellations), so runs with other seeds never share one.
NUMBERS_PER_SEED = 100_000
MAX_TRANSACTIONS = 80_000
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ShopPlan:
    day: date
    transactions: int
    seed: int = 1
    cancellation_share: float = 0.08
    malformed_share: float = 0.01
    first_transaction_no: int = FIRST_TRANSACTION_NO


@dataclass
class ShopReport:
    """What the producer put, in the marts' terms (amounts as text with two decimals, exact)."""

    topic: str = ""
    messages_put: int = 0
    valid_messages: int = 0
    sale_lines: int = 0
    cancellation_lines: int = 0
    gross_sales: str = "0.00"
    cancelled_sales: str = "0.00"
    net_sales: str = "0.00"
    net_sales_by_country: dict[str, str] = field(default_factory=dict)
    net_sales_by_product: dict[str, str] = field(default_factory=dict)
    units_by_product: dict[str, int] = field(default_factory=dict)
    malformed_by_reason: dict[str, int] = field(default_factory=dict)


class ShopGenerator:
    """Deterministic for a plan: the same seed gives the same messages."""

    def __init__(self, plan: ShopPlan) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.report = ShopReport()
        self._next_no = plan.first_transaction_no

    def messages(self) -> list[tuple[str, dict[str, Any] | bytes]]:
        """(key, message) pairs: a message is a transaction line, or the bytes of a malformed one."""
        lines = [line for _ in range(self.plan.transactions) for line in self._transaction()]
        lines += self._cancellations(lines)
        lines.sort(key=lambda line: line["Date"])
        self._account(lines)
        pairs: list[tuple[str, dict[str, Any] | bytes]] = [(line["TransactionNo"], line) for line in lines]
        for malformed in self._malformed(len(lines)):
            pairs.insert(self.rng.randrange(len(pairs) + 1), malformed)
        return pairs

    def _number(self) -> int:
        self._next_no += 1
        return self._next_no

    def _transaction(self) -> list[dict[str, Any]]:
        rng = self.rng
        # Orders come through the day, busier from late morning to early evening.
        minute = min(24 * 60 - 1, max(0, int(rng.gauss(14 * 60, 3.5 * 60))))
        at = datetime.combine(self.plan.day, time(minute // 60, minute % 60, rng.randrange(60)))
        number = str(self._number())
        customer, country = rng.randint(12_346, 18_287), rng.choices(list(COUNTRIES), list(COUNTRIES.values()))[0]
        lines = []
        for product_no, name, price in rng.sample(PRODUCTS, rng.randint(1, 4)):
            lines.append(
                {
                    "TransactionNo": number,
                    "Date": at.isoformat(),
                    "ProductNo": product_no,
                    "ProductName": name,
                    "Price": float(price),
                    "Quantity": rng.choice((1, 1, 2, 3, 4, 6, 12, 24)),
                    "CustomerNo": customer,
                    "Country": country,
                }
            )
        return lines

    def _cancellations(self, sales: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Some lines are cancelled minutes to hours later, in a `C` transaction of their own."""
        cancelled = []
        for line in sales:
            if self.rng.random() >= self.plan.cancellation_share:
                continue
            at = datetime.fromisoformat(line["Date"]) + timedelta(minutes=self.rng.randint(5, 240))
            if at.date() != self.plan.day:
                continue  # the demo's day ends at midnight
            cancelled.append(
                {
                    **line,
                    "TransactionNo": f"C{self._number()}",
                    "Date": at.isoformat(),
                    "Quantity": -self.rng.randint(1, line["Quantity"]),
                }
            )
        return cancelled

    def _account(self, lines: list[dict[str, Any]]) -> None:
        report = self.report
        by_country: Counter[str] = Counter()
        by_product: Counter[str] = Counter()
        gross = cancelled = Decimal(0)
        for line in lines:
            amount = (Decimal(str(line["Price"])) * line["Quantity"]).quantize(CENT)
            by_country[line["Country"]] += amount  # type: ignore[assignment]
            by_product[line["ProductNo"]] += amount  # type: ignore[assignment]
            report.units_by_product[line["ProductNo"]] = (
                report.units_by_product.get(line["ProductNo"], 0) + line["Quantity"]
            )
            if line["Quantity"] < 0:
                report.cancellation_lines += 1
                cancelled -= amount
            else:
                report.sale_lines += 1
                gross += amount
        report.valid_messages = len(lines)
        report.gross_sales, report.cancelled_sales = str(gross), str(cancelled)
        report.net_sales = str(gross - cancelled)
        report.net_sales_by_country = {country: str(amount) for country, amount in sorted(by_country.items())}
        report.net_sales_by_product = {product: str(amount) for product, amount in sorted(by_product.items())}

    def _malformed(self, valid: int) -> list[tuple[str, bytes]]:
        kinds = list(MALFORMED_REASONS)
        count = 0 if self.plan.malformed_share <= 0 else max(len(kinds), round(valid * self.plan.malformed_share))
        malformed = []
        for index in range(count):
            kind = kinds[index % len(kinds)]  # every kind at least once
            malformed.append((f"bad-{index}", self._malformed_payload(kind)))
            reason = MALFORMED_REASONS[kind]
            self.report.malformed_by_reason[reason] = self.report.malformed_by_reason.get(reason, 0) + 1
        return malformed

    def _malformed_payload(self, kind: str) -> bytes:
        body = self._transaction()[0]
        if kind == "invalid_json":
            return json.dumps(body).encode()[: self.rng.randint(5, 60)]
        if kind == "not_an_object":
            return json.dumps([body]).encode()
        if kind == "missing_field":
            del body[self.rng.choice(("ProductNo", "Country", "Price", "Date"))]
        elif kind == "wrong_type":
            body["Quantity"] = "3"
        elif kind == "bad_transaction_no":
            body["TransactionNo"] = self.rng.choice(("A581001", "58-1001", "CC581001"))
        elif kind == "bad_date":
            body["Date"] = self.rng.choice(("12/9/2019", "2019-13-45T25:00:00", "yesterday"))
        elif kind == "bad_price":
            body["Price"] = self.rng.choice((-10.65, 10.655))
        elif kind == "bad_quantity":
            body["Quantity"] = self.rng.choice((0, -2))  # -2 on a sale: only a C transaction takes goods back
        return json.dumps(body).encode()


def send_transactions(plan: ShopPlan, topic: str | None = None) -> ShopReport:
    """Generate the plan's messages and produce them onto `topic` (default: the configured first topic)."""
    from confluent_kafka import Producer

    from load.kafka.config import kafka_config

    config = kafka_config()
    topic = topic or config.topics[0]
    generator = ShopGenerator(plan)
    messages = generator.messages()
    failures: list[str] = []

    def delivered(error: Any, _message: Any) -> None:
        if error is not None:
            failures.append(str(error))

    # Idempotent: a retried send never writes a message twice.
    producer = Producer(
        {
            "bootstrap.servers": config.bootstrap_servers,
            "enable.idempotence": True,
            "linger.ms": 20,
            **config.credentials.client_settings(),
        }
    )
    for key, message in messages:
        value = message if isinstance(message, bytes) else json.dumps(message).encode()
        producer.produce(topic, value, key.encode(), on_delivery=delivered)
        producer.poll(0)
    if producer.flush(60) or failures:
        raise LoadConfigError(f"Kafka topic {topic}: {len(failures)} messages not delivered: {failures[:1]}")
    generator.report.topic = topic
    generator.report.messages_put = len(messages)
    return generator.report


def _shop(args: argparse.Namespace) -> None:
    from demo.kafka_topics import create_topic, local_bootstrap
    from load.kafka.config import kafka_config

    if not 1 <= args.transactions <= MAX_TRANSACTIONS:
        raise LoadConfigError(f"--transactions must be 1 to {MAX_TRANSACTIONS}, got {args.transactions}")
    config = kafka_config()
    topic = args.topic or config.topics[0]
    if config.bootstrap_servers == local_bootstrap():
        create_topic(topic, int(setting("KAFKA_PARTITIONS")))
    day = args.day or datetime.now(UTC).date()
    # Each day its own transaction numbers unless a seed is given: one run a day never repeats another's numbers.
    seed = day.toordinal() if args.seed is None else args.seed
    plan = ShopPlan(
        day=day,
        transactions=args.transactions,
        seed=seed,
        malformed_share=args.malformed_share,
        first_transaction_no=FIRST_TRANSACTION_NO + seed * NUMBERS_PER_SEED,
    )
    print(json.dumps(asdict(send_transactions(plan, topic)), sort_keys=True))


def add_commands(subparsers: Any) -> None:
    shop = subparsers.add_parser("shop", help="produce a day of shop transactions (with faults) onto Kafka")
    shop.add_argument("--day", type=date.fromisoformat, help="YYYY-MM-DD; default today (UTC)")
    shop.add_argument("--transactions", type=int, default=500, help="transactions (orders) in the day (default 500)")
    shop.add_argument("--topic", help="default: the first of [sources.kafka] topics")
    shop.add_argument("--seed", type=int, help="random seed (same seed, same messages); default: from the day")
    shop.add_argument("--malformed-share", type=float, default=0.01, help="share of malformed messages (default 0.01)")
    shop.set_defaults(handler=_shop)
