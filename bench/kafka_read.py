"""Reference: a bare confluent-kafka consumer reading a whole topic (`python -m bench.kafka_read TOPIC [--no-decode]`).

What a user would write to read the topic: assign every partition at its first offset, consume in batches of up to
10,000 messages until each partition reaches the high watermark it had at the start (where the loader stops too),
decode each message's JSON (orjson, as the loader does; a message that is not JSON still counts as read), and print
the number of messages read. `--no-decode` only reads.

The loader's own client settings, handed over by the bench as JSON in BENCH_KAFKA_CONSUMER, and nothing of dlt: a
bare consumer pays no framework import, so only the loader's own work differs.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import orjson
from confluent_kafka import Consumer, KafkaException, TopicPartition

SETTINGS_ENV = "BENCH_KAFKA_CONSUMER"
BATCH = 10_000
TIMEOUT_SECONDS = 10


def read_all(topic: str, settings: dict[str, Any], decode: bool = True) -> int:
    consumer = Consumer(settings)
    try:
        partitions = consumer.list_topics(topic, timeout=TIMEOUT_SECONDS).topics[topic].partitions
        ranges = {
            p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=TIMEOUT_SECONDS) for p in partitions
        }
        remaining = sum(high - low for low, high in ranges.values())
        consumer.assign([TopicPartition(topic, p, low) for p, (low, high) in ranges.items() if high > low])
        read = 0
        while read < remaining:
            batch = consumer.consume(min(BATCH, remaining - read), timeout=TIMEOUT_SECONDS)
            if not batch:
                raise RuntimeError(f"read {read} of {remaining} messages of {topic}")
            for message in batch:
                if message.error() is not None:
                    raise KafkaException(message.error())
                if decode:
                    _decoded(message.value())
            read += len(batch)
        return read
    finally:
        consumer.close()


def _decoded(value: bytes | None) -> Any:
    try:
        return orjson.loads(value or b"")
    except orjson.JSONDecodeError:
        return None  # read all the same: what a user does with a bad message is beyond reading


if __name__ == "__main__":
    print(read_all(sys.argv[1], json.loads(os.environ[SETTINGS_ENV]), decode="--no-decode" not in sys.argv[2:]))
