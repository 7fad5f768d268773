"""Kafka: messages/s from the local broker into raw_shop, against a bare confluent-kafka consumer's read rate."""

from __future__ import annotations

import logging
import time
from datetime import date

from bench import stream_bench
from bench.figures import Figure
from bench.settings import base_env
from bench.stream_bench import StreamBench
from demo.kafka_topics import create_topic, delete_topic
from demo.shop_transactions import ShopPlan, send_transactions

log = logging.getLogger("bench")
PARTITIONS = 3


def fill_topic(topic: str, transactions: int) -> tuple[int, float]:
    """A new topic on the local broker with a day of `transactions` shop transactions; (messages, seconds putting)."""
    create_topic(topic, PARTITIONS)
    started = time.perf_counter()
    report = send_transactions(ShopPlan(day=date(2024, 5, 17), transactions=transactions, seed=7), topic)
    return report.messages_put, time.perf_counter() - started


def remove_topic(topic: str) -> None:
    try:
        delete_topic(topic)
    except Exception as error:  # a broker already gone has no topic to remove
        log.warning("bench: could not delete topic %s: %s", topic, error)


KAFKA = StreamBench(
    source="kafka",
    reference_module="bench.kafka_read",
    reference_name="kafka bare consumer",
    dataset="raw_shop",
    tables=("transactions", "transactions_rejected"),
    unit="messages",
)


def measure(topic: str, messages: int, repeats: int) -> list[Figure]:
    """Bare reads and full loads of the whole topic, alternating, `repeats` times each."""
    return stream_bench.measure(KAFKA, topic, messages, repeats, {**base_env(), "SOURCES__KAFKA__TOPICS": topic})
