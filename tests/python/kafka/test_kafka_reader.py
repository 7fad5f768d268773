"""The reader's bookkeeping per batch (pure: messages built in memory, a consumer that only records pauses)."""

from __future__ import annotations

from typing import Any

from confluent_kafka import Message

from load.kafka.config import KafkaConfig, KafkaCredentials
from load.kafka.reader import PartitionRange, TopicReader


class _PausingConsumer:
    def __init__(self) -> None:
        self.paused: list[tuple[str, int]] = []

    def pause(self, partitions: list[Any]) -> None:
        self.paused += [(partition.topic, partition.partition) for partition in partitions]


def _reader(state: dict[str, Any]) -> tuple[TopicReader, _PausingConsumer]:
    consumer = _PausingConsumer()
    config = KafkaConfig("127.0.0.1:9092", ("shop",), KafkaCredentials())
    return TopicReader(consumer, config, state), consumer  # type: ignore[arg-type]


def _messages(*places: tuple[int, int]) -> list[Message]:
    return [Message(topic="shop", partition=partition, offset=offset, value=b"{}") for partition, offset in places]


def _pending(*ranges: PartitionRange) -> dict[tuple[str, int], PartitionRange]:
    return {(r.topic, r.partition): r for r in ranges}


def test_a_batch_within_its_ranges_is_taken_whole_and_the_offsets_move_past_it() -> None:
    state: dict[str, Any] = {"next_offsets": {"shop": {}}}
    reader, consumer = _reader(state)
    pending = _pending(PartitionRange("shop", 0, 10, 20), PartitionRange("shop", 1, 0, 3))
    taken = reader._take(_messages((0, 10), (1, 0), (0, 11), (1, 1), (1, 2)), pending)
    assert [(m.partition(), m.offset()) for m in taken] == [(0, 10), (1, 0), (0, 11), (1, 1), (1, 2)]
    assert state["next_offsets"]["shop"] == {"0": 12, "1": 3}
    assert list(pending) == [("shop", 0)] and consumer.paused == [("shop", 1)]  # partition 1 reached its end


def test_messages_delivered_twice_or_past_the_end_are_left_out() -> None:
    """The load tells dlt its rows have no duplicate keys: the reader makes sure of it."""
    state: dict[str, Any] = {"next_offsets": {"shop": {}}}
    reader, _ = _reader(state)
    pending = _pending(PartitionRange("shop", 0, 10, 13), PartitionRange("shop", 1, 5, 9))
    consumed = _messages((0, 9), (0, 10), (1, 5), (0, 10), (0, 11), (1, 6), (0, 12), (0, 13), (2, 0))
    taken = reader._take(consumed, pending)
    assert [(m.partition(), m.offset()) for m in taken] == [(0, 10), (1, 5), (0, 11), (1, 6), (0, 12)]
    assert state["next_offsets"]["shop"] == {"0": 13, "1": 7}
