"""Copying a local mock broker's topics out and back in: to grow a topic (the mock has no CreatePartitions) and to
keep every topic across a clean restart (the mock keeps messages in memory only).

A topic is made again with each partition's messages produced back in order; partitions start at offset 0 on the
mock (nothing is ever deleted), so every message keeps its partition, offset, key, time and headers.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from confluent_kafka import Consumer, Producer, TopicPartition

from demo.kafka_mock import MockCluster, MockClusterError

_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class StoredTopic:
    name: str
    partitions: int
    # per partition, in offset order: (key, value, timestamp ms, headers)
    messages: dict[int, list[tuple[bytes | None, bytes | None, int, list[tuple[str, bytes]] | None]]]

    @property
    def message_count(self) -> int:
        return sum(len(messages) for messages in self.messages.values())


def _consumer(cluster: MockCluster) -> Consumer:
    return Consumer(
        {"bootstrap.servers": cluster.listening_address, "group.id": "kafka-broker-copy", "enable.auto.commit": False}
    )


def read_topics(cluster: MockCluster, names: list[str] | None = None) -> Iterator[StoredTopic]:
    """The named topics (default: every topic but the internal ones), with all their messages."""
    consumer = _consumer(cluster)
    try:
        listed = consumer.list_topics(timeout=_TIMEOUT_SECONDS).topics
        for name in names if names is not None else sorted(name for name in listed if not name.startswith("__")):
            metadata = listed.get(name)
            if metadata is None or metadata.error is not None:
                raise MockClusterError(f"topic {name}: {metadata.error.str() if metadata else 'does not exist'}")
            messages = {partition: _read_partition(consumer, name, partition) for partition in metadata.partitions}
            yield StoredTopic(name, len(metadata.partitions), messages)
    finally:
        consumer.close()


def _read_partition(consumer: Consumer, topic: str, partition: int) -> list[tuple]:  # type: ignore[type-arg]
    low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=_TIMEOUT_SECONDS)
    if low:
        raise MockClusterError(f"topic {topic} partition {partition} starts at offset {low}, not 0")
    consumer.assign([TopicPartition(topic, partition, 0)])
    messages: list[tuple] = []  # type: ignore[type-arg]
    while len(messages) < high:
        batch = consumer.consume(min(10_000, high - len(messages)), timeout=_TIMEOUT_SECONDS)
        if not batch:
            raise RuntimeError(f"topic {topic} partition {partition}: read {len(messages)} of {high} messages")
        messages += [
            (message.key(), message.value(), message.timestamp()[1], message.headers())
            for message in batch
            if message.error() is None
        ]
    return messages


def write_topic(cluster: MockCluster, topic: StoredTopic) -> None:
    """Create `topic` (it must not exist) and produce its messages back into their partitions, in order."""
    cluster.create_topic(topic.name, topic.partitions)
    producer = Producer({"bootstrap.servers": cluster.listening_address, "enable.idempotence": True, "linger.ms": 5})
    for partition, messages in topic.messages.items():
        for key, value, timestamp, headers in messages:
            producer.produce(topic.name, value, key, partition=partition, timestamp=timestamp, headers=headers)
            producer.poll(0)
    if producer.flush(60):
        raise RuntimeError(f"topic {topic.name}: could not put every message back")


def add_partitions(cluster: MockCluster, name: str, partitions: int) -> int:
    """Grow topic `name` to `partitions`, as Kafka's CreatePartitions does; returns the messages kept."""
    (topic,) = read_topics(cluster, [name])
    if partitions <= topic.partitions:
        raise ValueError(f"topic {name} already has {topic.partitions} partitions")
    cluster.delete_topic(name)
    write_topic(cluster, StoredTopic(name, partitions, topic.messages))
    return topic.message_count


def _text(value: bytes | None) -> str | None:
    return None if value is None else base64.b64encode(value).decode("ascii")


def _bytes(value: str | None) -> bytes | None:
    return None if value is None else base64.b64decode(value)


def save(cluster: MockCluster, path: Path) -> int:
    """Write every topic to `path` (one JSON line per topic, bytes in base64); returns the messages saved."""
    saved = 0
    temporary = path.with_suffix(".tmp")
    with temporary.open("w") as file:
        for topic in read_topics(cluster):
            messages = {
                str(partition): [
                    [_text(key), _text(value), timestamp, [[k, _text(v)] for k, v in headers or []]]
                    for key, value, timestamp, headers in rows
                ]
                for partition, rows in topic.messages.items()
            }
            file.write(json.dumps({"name": topic.name, "partitions": topic.partitions, "messages": messages}) + "\n")
            saved += topic.message_count
    temporary.replace(path)  # a stop killed mid-write keeps the previous file whole
    return saved


def restore(cluster: MockCluster, path: Path) -> list[str]:
    """Create the topics saved in `path` with their messages; returns their names."""
    names = []
    for line in path.read_text().splitlines() if path.is_file() else []:
        stored = json.loads(line)
        messages = {
            int(partition): [
                (_bytes(key), _bytes(value), timestamp, [(k, _bytes(v)) for k, v in headers] or None)
                for key, value, timestamp, headers in rows
            ]
            for partition, rows in stored["messages"].items()
        }
        write_topic(cluster, StoredTopic(stored["name"], stored["partitions"], messages))  # type: ignore[arg-type]
        names.append(stored["name"])
    return names
