"""`python -m load run kafka`: shop transactions from Kafka topics into `raw_shop`."""

from __future__ import annotations

import copy
from typing import Any

from dlt.extract.source import DltSource

from load.kafka.config import kafka_config
from load.kafka.reader import PartitionRange, TopicReader
from load.kafka.source import REJECTED_TABLE, RESOURCE, TRANSACTIONS_TABLE, kafka
from load.raw_tables import RecordCount
from load.runner import RunResult, SourceJob


def check_topics(state: dict[str, Any] | None = None) -> list[PartitionRange]:
    """Fail early, in one line, when the brokers are unreachable, a topic does not exist, or (given the committed
    resource `state`) an offset to resume from is no longer in its log; else what a run would read."""
    config = kafka_config()
    consumer = config.consumer()
    try:
        return TopicReader(consumer, config, copy.deepcopy(state or {})).plan()
    finally:
        consumer.close()


def offset_positions(source_state: dict[str, Any]) -> dict[str, Any]:
    """Where the topics stood after a load: the next offset of each partition (the lake's manifests)."""
    committed = source_state.get("resources", {}).get(RESOURCE, {})
    return {"next_offsets": copy.deepcopy(committed.get("next_offsets", {}))}


def kafka_job() -> SourceJob:
    counter = RecordCount()

    def build(state: dict[str, Any]) -> DltSource | None:
        counter.records = 0
        committed = state.get("resources", {}).get(RESOURCE, {})
        if committed.get("next_offsets") and not any(r.remaining for r in check_topics(committed)):
            return None  # nothing new since the last load (whose tables exist): no dlt run at all
        source = kafka()
        source.resources[RESOURCE].add_map(counter.count)
        return source

    def report(result: RunResult) -> list[str]:
        return counter.balance(result, TRANSACTIONS_TABLE, REJECTED_TABLE, "messages")

    return SourceJob(
        name="kafka",
        dataset="raw_shop",
        identity=lambda: kafka_config().identity(),
        build=build,
        report=report,
        positions=offset_positions,
    )
