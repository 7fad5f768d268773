"""`python -m load run kafka`: shop transactions from Kafka topics into `raw_shop`."""

from __future__ import annotations

from typing import Any

from confluent_kafka import Consumer
from dlt.extract.source import DltSource

from load.kafka.config import kafka_config
from load.kafka.reader import TopicReader
from load.kafka.source import REJECTED_TABLE, TRANSACTIONS_TABLE, kafka
from load.raw_tables import RecordCount
from load.runner import RunResult, SourceJob


def check_topics(state: dict[str, Any] | None = None) -> None:
    """Fail early, in one line, when the brokers are unreachable, a topic does not exist, or (given the committed
    resource `state`) an offset to resume from is no longer in its log."""
    config = kafka_config()
    consumer = Consumer(config.consumer_settings())
    try:
        TopicReader(consumer, config, dict(state or {})).plan()
    finally:
        consumer.close()


def kafka_job() -> SourceJob:
    counter = RecordCount()

    def build(_state: dict[str, Any]) -> DltSource:
        # Offsets come from the resource state dlt restores itself; the runner's copy is not needed.
        check_topics()
        counter.records = 0
        source = kafka()
        source.resources["shop_messages"].add_map(counter.count)
        return source

    def report(result: RunResult) -> list[str]:
        return counter.balance(result, TRANSACTIONS_TABLE, REJECTED_TABLE, "messages")

    return SourceJob(
        name="kafka",
        dataset="raw_shop",
        identity=lambda: kafka_config().identity(),
        build=build,
        report=report,
    )
