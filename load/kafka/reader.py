"""Read Kafka topics from saved offsets up to the high watermarks seen when the run started.

The offsets live in a plain dict the caller hands in (the dlt resource state), so they are committed with the data
they describe, in the same load package: a run killed at any point leaves the last committed offsets, and what it
had read is read again and merged on (topic, topic_partition, message_offset). No consumer-group offsets are
committed to Kafka: the warehouse is the one source of truth.

    state = {"next_offsets": {topic: {partition (text): next offset to read}}}

A partition not in the state (new, or added to the topic since the last run) is read from its earliest offset.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from confluent_kafka import Consumer, KafkaError, KafkaException, Message, TopicPartition

from load.errors import LoadConfigError
from load.gc_pause import garbage_collection_paused
from load.kafka.config import KafkaConfig

RESET_HINT = "`python -m load reset kafka` reads every partition again from its earliest offset"


@dataclass
class PartitionRange:
    """What one run reads of a partition: from `next_offset` up to `end` (the high watermark at the start)."""

    topic: str
    partition: int
    next_offset: int
    end: int

    @property
    def remaining(self) -> int:
        return max(0, self.end - self.next_offset)


@dataclass(frozen=True)
class Span:
    """The offsets of one partition's messages in a batch."""

    first: int
    last: int
    count: int
    distinct: int

    def within(self, partition_range: PartitionRange) -> bool:
        """Each message once, none loaded before, none past the end of the run."""
        return (
            self.count == self.distinct and partition_range.next_offset <= self.first <= self.last < partition_range.end
        )


def _spans(messages: list[Message]) -> dict[tuple[str, int], Span]:
    """Per (topic, partition) of `messages`, the span of their offsets."""
    offsets = pa.table(
        {
            "topic": pa.array(list(map(Message.topic, messages)), pa.string()),
            "partition": pa.array(list(map(Message.partition, messages)), pa.int64()),
            "offset": pa.array(list(map(Message.offset, messages)), pa.int64()),
        }
    )
    aggregates = [("offset", "min"), ("offset", "max"), ("offset", "count"), ("offset", "count_distinct")]
    spans = offsets.group_by(["topic", "partition"], use_threads=False).aggregate(aggregates).to_pydict()
    return {
        (topic, partition): Span(first, last, count, distinct)
        for topic, partition, first, last, count, distinct in zip(
            spans["topic"],
            spans["partition"],
            spans["offset_min"],
            spans["offset_max"],
            spans["offset_count"],
            spans["offset_count_distinct"],
            strict=True,
        )
    }


@dataclass
class TopicReader:
    consumer: Consumer
    config: KafkaConfig
    state: dict[str, Any]
    batch_size: int = 10_000
    # A partition that delivers nothing for this long while short of its end fails the run.
    stall_seconds: float = 60.0
    clock: Callable[[], float] = time.monotonic
    messages_read: int = 0

    def plan(self) -> list[PartitionRange]:
        """Every partition of the topics, with where this run starts and ends on it."""
        offsets = self.state.setdefault("next_offsets", {})
        ranges = []
        for topic in self.config.topics:
            saved = offsets.setdefault(topic, {})
            for partition in self._partitions(topic):
                low, high = self._call(
                    self.consumer.get_watermark_offsets,
                    TopicPartition(topic, partition),
                    timeout=self.config.timeout_seconds,
                )
                start = int(saved.get(str(partition), low))
                if start < low:
                    raise LoadConfigError(
                        f"Kafka topic {topic} partition {partition}: the next offset to load, {start}, is gone "
                        f"(the log starts at {low}; retention deleted it before it was loaded): {RESET_HINT}"
                    )
                if start > high:
                    raise LoadConfigError(
                        f"Kafka topic {topic} partition {partition}: the next offset to load, {start}, is past the "
                        f"end of the log ({high}): the topic was recreated (the local broker forgets its topics when "
                        "killed) and its messages reuse offsets raw_shop holds rows of the old topic at: load it under "
                        f"a new topic name, or move those rows away; then {RESET_HINT}"
                    )
                ranges.append(PartitionRange(topic, partition, start, high))
        return ranges

    def batches(self) -> Iterator[list[Message]]:
        """Messages in consume order, each batch with the state's next offsets advanced past it."""
        pending = {(r.topic, r.partition): r for r in self.plan() if r.remaining}
        if not pending:
            return
        self.consumer.assign([TopicPartition(r.topic, r.partition, r.next_offset) for r in pending.values()])
        last_progress = self.clock()
        try:
            while pending:
                wanted = min(self.batch_size, sum(r.remaining for r in pending.values()))
                with garbage_collection_paused():
                    messages = self._take(self.consumer.consume(wanted, timeout=1.0), pending)
                if messages:
                    last_progress = self.clock()
                    self.messages_read += len(messages)
                    yield messages
                self._finish_skipped(pending)
                if pending and self.clock() - last_progress > self.stall_seconds:
                    stuck = ", ".join(f"{t}[{p}] at {r.next_offset} of {r.end}" for (t, p), r in pending.items())
                    raise LoadConfigError(
                        f"Kafka at {self.config.bootstrap_servers}: no messages for {self.stall_seconds:.0f}s: {stuck}"
                    )
        finally:
            self.consumer.unassign()

    def _take(self, consumed: list[Message], pending: dict[tuple[str, int], PartitionRange]) -> list[Message]:
        """The consumed messages this run loads, each once; the state and the ranges advanced past them.

        Per batch, not per message: a partition's messages arrive in offset order, so when a partition's messages
        in the batch are distinct and lie within its range, they are all taken and the partition moves past the
        last. Otherwise (messages produced after the run started, of a partition this run has finished, or
        delivered twice) they are sorted out one by one. The load declares its rows free of duplicate keys."""
        if any(map(Message.error, consumed)):
            consumed = [message for message in consumed if not _end_of_partition(message)]
        spans = _spans(consumed)
        if not all(place in pending and span.within(pending[place]) for place, span in spans.items()):
            consumed = self._one_by_one(consumed, pending)
            spans = _spans(consumed)
        for place, span in spans.items():
            self._advance(pending[place], span.last + 1, pending)
        return consumed

    def _one_by_one(self, consumed: list[Message], pending: dict[tuple[str, int], PartitionRange]) -> list[Message]:
        next_offsets = {place: partition_range.next_offset for place, partition_range in pending.items()}
        taken = []
        for message in consumed:
            place, offset = (message.topic(), message.partition()), message.offset()
            if place in pending and next_offsets[place] <= offset < pending[place].end:
                taken.append(message)
                next_offsets[place] = offset + 1
        return taken

    def _finish_skipped(self, pending: dict[tuple[str, int], PartitionRange]) -> None:
        """Partitions whose position reached their end without a message there (transaction markers)."""
        positions = self.consumer.position([TopicPartition(t, p) for t, p in pending])
        for position in positions:
            partition_range = pending.get((position.topic, position.partition))
            if partition_range is not None and position.offset >= partition_range.end:
                self._advance(partition_range, partition_range.end, pending)

    def _advance(self, partition_range: PartitionRange, next_offset: int, pending: dict[Any, PartitionRange]) -> None:
        partition_range.next_offset = max(partition_range.next_offset, next_offset)
        self.state["next_offsets"][partition_range.topic][str(partition_range.partition)] = partition_range.next_offset
        if not partition_range.remaining and pending.pop((partition_range.topic, partition_range.partition), None):
            # Fetching on would only bring messages the next run reads.
            self.consumer.pause([TopicPartition(partition_range.topic, partition_range.partition)])

    def _partitions(self, topic: str) -> list[int]:
        metadata = self._call(self.consumer.list_topics, topic, timeout=self.config.timeout_seconds).topics.get(topic)
        if metadata is None or metadata.error is not None:
            code = metadata.error.code() if metadata is not None and metadata.error is not None else None
            if code in (KafkaError.UNKNOWN_TOPIC_OR_PART, KafkaError._UNKNOWN_TOPIC, None):
                raise LoadConfigError(
                    f"Kafka topic '{topic}' does not exist on {self.config.bootstrap_servers}: fix "
                    "SOURCES__KAFKA__TOPICS ([sources.kafka] topics) or SOURCES__KAFKA__BOOTSTRAP_SERVERS"
                )
            raise LoadConfigError(f"Kafka topic '{topic}' on {self.config.bootstrap_servers}: {metadata.error.str()}")
        return sorted(metadata.partitions)

    def _call(self, method: Callable[..., Any], *arguments: Any, **keywords: Any) -> Any:
        try:
            return method(*arguments, **keywords)
        except KafkaException as error:
            code = error.args[0].code() if error.args and isinstance(error.args[0], KafkaError) else None
            if code in (KafkaError._TRANSPORT, KafkaError._TIMED_OUT, KafkaError._ALL_BROKERS_DOWN):
                raise LoadConfigError(
                    f"cannot reach Kafka at {self.config.bootstrap_servers} ({error.args[0].str()}): is the broker "
                    "up (local: make services-up)? Or fix SOURCES__KAFKA__BOOTSTRAP_SERVERS"
                ) from None
            raise


def _end_of_partition(message: Message) -> bool:
    """Whether `message` only says its partition has no more messages for now; any other error stops the run."""
    error = message.error()
    if error is None:
        return False
    if error.code() == KafkaError._PARTITION_EOF:
        return True
    raise KafkaException(error)
