"""Kafka: messages/s from the local broker into raw_shop, against a bare confluent-kafka consumer's rate.

Besides the whole-run rates (each side a process timed end to end), the fixed cost of a run is measured apart: each
side on an empty topic of as many partitions, ours into a fresh warehouse as in the measured loads (it creates the
tables: a whole dlt run with no rows). It weighs most on small topics.
"""

from __future__ import annotations

import json
import logging
import math
import time
from datetime import date

from confluent_kafka import Consumer, TopicPartition

from bench import stream_bench
from bench.contenders import clean
from bench.figures import Figure
from bench.kafka_read import SETTINGS_ENV
from bench.process import run_measured
from bench.settings import REPO_ROOT, VENV_PYTHON, WORK_DIR, base_env
from bench.stream_bench import StreamBench
from demo.kafka_topics import create_topic, delete_topic
from demo.shop_transactions import ShopPlan, send_transactions
from load.kafka.config import kafka_config

log = logging.getLogger("bench")
MIN_PARTITIONS = 3
# The local (mock) broker keeps at most 5 MB per partition and silently drops the oldest messages beyond: 5,000
# transactions (~13,500 messages, ~3 MB) a partition stay well under it.
TRANSACTIONS_PER_PARTITION = 5_000
EMPTY_SUFFIX = "-empty"


def partitions_for(transactions: int) -> int:
    return max(MIN_PARTITIONS, math.ceil(transactions / TRANSACTIONS_PER_PARTITION))


def fill_topic(topic: str, transactions: int) -> tuple[int, int, float]:
    """A new topic on the local broker with a day of `transactions` shop transactions, and an empty one of as many
    partitions (`topic` + "-empty"); (messages, partitions, seconds putting)."""
    partitions = partitions_for(transactions)
    create_topic(topic, partitions)
    create_topic(topic + EMPTY_SUFFIX, partitions)
    started = time.perf_counter()
    report = send_transactions(ShopPlan(day=date(2024, 5, 17), transactions=transactions, seed=7), topic)
    seconds = time.perf_counter() - started
    _check_kept(topic, report.messages_put)
    return report.messages_put, partitions, seconds


def _check_kept(topic: str, messages: int) -> None:
    """Fail unless the broker still holds every message put (none dropped for space)."""
    config = kafka_config()
    consumer = Consumer(config.consumer_settings())
    try:
        partitions = consumer.list_topics(topic, timeout=config.timeout_seconds).topics[topic].partitions
        marks = [
            consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=config.timeout_seconds) for p in partitions
        ]
    finally:
        consumer.close()
    kept = sum(high - low for low, high in marks)
    if kept != messages or any(low for low, _ in marks):
        raise RuntimeError(f"Kafka topic {topic}: the broker kept {kept} of {messages} messages: use more partitions")


def remove_topic(topic: str) -> None:
    for name in (topic, topic + EMPTY_SUFFIX):
        try:
            delete_topic(name)
        except Exception as error:  # a broker already gone has no topic to remove
            log.warning("bench: could not delete topic %s: %s", name, error)


KAFKA = StreamBench(
    source="kafka",
    reference_module="bench.kafka_read",
    reference_name="kafka bare consumer",
    dataset="raw_shop",
    tables=("transactions", "transactions_rejected"),
    unit="messages",
)


def measure(topic: str, messages: int, repeats: int) -> list[Figure]:
    """Bare reads (decoding) and full loads of the whole topic, alternating, `repeats` times each; then bare reads
    that do not decode, and the fixed cost of a run of each side."""
    env = {**base_env(), "SOURCES__KAFKA__TOPICS": topic, SETTINGS_ENV: json.dumps(kafka_config().consumer_settings())}
    bare, ours, rss = stream_bench.measure(KAFKA, topic, messages, repeats, env)
    read_only = Figure("kafka bare consumer, read only (no decoding)|messages_per_s", "messages/s")
    for _ in range(repeats):
        read_only.samples.append(messages / _read(topic, env, "--no-decode"))
    bare_fixed, ours_fixed = _fixed_costs(topic + EMPTY_SUFFIX, repeats, env)
    return [bare, ours, rss, read_only, bare_fixed, ours_fixed, _ceiling(messages, bare, ours_fixed)]


def _ceiling(messages: int, bare: Figure, ours_fixed: Figure) -> Figure:
    """The highest ratio a run of ours could reach on this topic: it cannot end before its own fixed work (a whole
    run on an empty topic) is done, however fast it read; so at most the bare consumer's whole run over that."""
    name = "kafka ours, highest reachable ratio (bare consumer's whole run / ours' fixed run cost)|ratio"
    ceiling = Figure(name, "x")
    ceiling.samples = [messages / rate / fixed for rate, fixed in zip(bare.samples, ours_fixed.samples, strict=True)]
    return ceiling


def _read(topic: str, env: dict[str, str], *arguments: str) -> float:
    run = run_measured([str(VENV_PYTHON), "-m", KAFKA.reference_module, topic, *arguments], env=env, cwd=REPO_ROOT)
    return run.seconds


def _fixed_costs(empty_topic: str, repeats: int, env: dict[str, str]) -> tuple[Figure, Figure]:
    """Seconds of a run with no message to read: the bare consumer, and ours into a fresh warehouse."""
    bare = Figure("kafka bare consumer, fixed run cost (empty topic)|seconds", "s")
    ours = Figure(f"kafka ours into {KAFKA.dataset}, fixed run cost (empty topic)|seconds", "s")
    work = WORK_DIR / "kafka-empty"
    load_env = {**env, "SOURCES__KAFKA__TOPICS": empty_topic, "WAREHOUSE_PATH": str(work / "warehouse.duckdb")}
    command = [str(VENV_PYTHON), "-m", "load", "run", KAFKA.source]
    for _ in range(repeats):
        bare.samples.append(_read(empty_topic, env))
        clean(work)
        ours.samples.append(run_measured(command, env=load_env, cwd=REPO_ROOT).seconds)
    clean(work)
    return bare, ours
