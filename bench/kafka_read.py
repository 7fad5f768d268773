"""Reference: a bare confluent-kafka consumer reading a whole topic (`python -m bench.kafka_read TOPIC`).

Assigns every partition from offset 0, consumes in batches of up to 10,000 messages until each partition reaches
the high watermark it had at the start (where the loader stops too), and prints the messages read. No decoding, no
validation, no warehouse: the loader's own client settings, so only the loader's work differs.
"""

from __future__ import annotations

import sys

from confluent_kafka import Consumer, TopicPartition

from load.kafka.config import kafka_config


def read_all(topic: str) -> int:
    config = kafka_config()
    consumer = Consumer(config.consumer_settings())
    partitions = consumer.list_topics(topic, timeout=config.timeout_seconds).topics[topic].partitions
    ends = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in partitions}
    remaining = sum(ends.values())
    consumer.assign([TopicPartition(topic, p, 0) for p, end in ends.items() if end])
    read = 0
    while read < remaining:
        batch = consumer.consume(min(10_000, remaining - read), timeout=10)
        if not batch:
            raise RuntimeError(f"read {read} of {remaining} messages of {topic}")
        read += sum(1 for message in batch if message.error() is None)
    consumer.close()
    return read


if __name__ == "__main__":
    print(read_all(sys.argv[1]))
