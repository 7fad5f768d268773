"""Read a Kinesis stream shard by shard from saved positions, until caught up or at a bound.

The positions live in a plain dict that the caller hands in (the dlt resource state), so they are
committed with the data they describe. A position is advanced before its batch is handed on: both
reach the warehouse in the same dlt load package, or neither does.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from load.kinesis.shards import Shard, is_after, ready_shards, shard_from_listing

log = logging.getLogger("load.kinesis")

THROTTLING_ERRORS = frozenset({"ProvisionedThroughputExceededException", "LimitExceededException"})
EXPIRED_ITERATOR = "ExpiredIteratorException"


@dataclass(frozen=True)
class Bounds:
    """When one run stops even if the stream has more: after `max_records` records or `max_seconds`."""

    max_records: int | None = None
    max_seconds: float | None = None


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter for throttled calls."""

    base_seconds: float = 0.2
    max_seconds: float = 5.0
    max_attempts: int = 10
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def wait(self, attempt: int, error: ClientError) -> None:
        if attempt >= self.max_attempts:
            raise error
        self.sleep(random.uniform(0, min(self.max_seconds, self.base_seconds * 2**attempt)))


@dataclass
class StreamReader:
    """Yields `(shard_id, records)` batches of GetRecords; `state` holds positions between runs.

    state = {"positions": {shard_id: last sequence number read}, "finished": [closed shards read to the end],
             "start_timestamp": ISO time to start never-read shards at, or absent for TRIM_HORIZON}
    """

    client: Any
    stream_name: str
    state: dict[str, Any]
    bounds: Bounds = Bounds()
    batch_limit: int = 10_000
    backoff: Backoff = Backoff()
    clock: Callable[[], float] = time.monotonic
    records_read: int = 0

    def __post_init__(self) -> None:
        self.state.setdefault("positions", {})
        self.state.setdefault("finished", [])
        self._started = self.clock()

    def batches(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        visited: set[str] = set()
        while not self._at_bound():
            # Listed again after each round: children of a parent just read to its end become ready.
            shards = self._list_shards()
            self._forget_unlisted(shards)
            ready = ready_shards(shards, set(self.state["finished"]), visited)
            if not ready:
                return
            for shard in ready:
                visited.add(shard.shard_id)
                yield from self._read_shard(shard.shard_id)
                if self._at_bound():
                    return

    def _read_shard(self, shard_id: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        iterator = self._shard_iterator(shard_id)
        attempt = 0
        while not self._at_bound():
            try:
                response = self.client.get_records(ShardIterator=iterator, Limit=self._limit())
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code")
                if code in THROTTLING_ERRORS:
                    attempt += 1
                    self.backoff.wait(attempt, error)
                elif code == EXPIRED_ITERATOR:
                    # Iterators live 5 minutes; a new one from the saved position neither skips nor repeats.
                    log.info("kinesis: iterator of %s expired, renewing from the saved position", shard_id)
                    iterator = self._shard_iterator(shard_id)
                else:
                    raise
                continue
            attempt = 0
            records = self._unseen(shard_id, response.get("Records", []))
            if records:
                self.records_read += len(records)
                self.state["positions"][shard_id] = records[-1]["SequenceNumber"]
                yield shard_id, records
            iterator = response.get("NextShardIterator")
            if iterator is None:
                # A closed shard read to its end: its children may start.
                self.state["finished"].append(shard_id)
                return
            if not response.get("Records") and response.get("MillisBehindLatest", 0) == 0:
                return

    def _unseen(self, shard_id: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # Guard against a server re-delivering the saved position itself (some emulators do).
        position = self.state["positions"].get(shard_id)
        return [record for record in records if is_after(record["SequenceNumber"], position)]

    def _shard_iterator(self, shard_id: str) -> str:
        position = self.state["positions"].get(shard_id)
        start_timestamp = self.state.get("start_timestamp")
        arguments: dict[str, Any]
        if position is not None:
            arguments = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "StartingSequenceNumber": position}
        elif start_timestamp:
            arguments = {"ShardIteratorType": "AT_TIMESTAMP", "Timestamp": datetime.fromisoformat(start_timestamp)}
        else:
            arguments = {"ShardIteratorType": "TRIM_HORIZON"}
        response = self._call(
            self.client.get_shard_iterator, StreamName=self.stream_name, ShardId=shard_id, **arguments
        )
        return response["ShardIterator"]

    def _list_shards(self) -> list[Shard]:
        shards: list[Shard] = []
        arguments: dict[str, Any] = {"StreamName": self.stream_name}
        while True:
            response = self._call(self.client.list_shards, **arguments)
            shards.extend(shard_from_listing(item) for item in response.get("Shards", []))
            token = response.get("NextToken")
            if not token:
                return shards
            # With a NextToken, ListShards rejects StreamName.
            arguments = {"NextToken": token}

    def _forget_unlisted(self, shards: list[Shard]) -> None:
        """Drop positions of shards past the stream's retention, so the state does not grow forever."""
        listed = {shard.shard_id for shard in shards}
        positions = self.state["positions"]
        for shard_id in [shard_id for shard_id in positions if shard_id not in listed]:
            del positions[shard_id]
        self.state["finished"] = [shard_id for shard_id in self.state["finished"] if shard_id in listed]

    def _call(self, method: Callable[..., dict[str, Any]], **arguments: Any) -> dict[str, Any]:
        attempt = 0
        while True:
            try:
                return method(**arguments)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") not in THROTTLING_ERRORS:
                    raise
                attempt += 1
                self.backoff.wait(attempt, error)

    def _limit(self) -> int:
        if self.bounds.max_records is None:
            return self.batch_limit
        return max(1, min(self.batch_limit, self.bounds.max_records - self.records_read))

    def _at_bound(self) -> bool:
        bounds = self.bounds
        return (bounds.max_records is not None and self.records_read >= bounds.max_records) or (
            bounds.max_seconds is not None and self.clock() - self._started >= bounds.max_seconds
        )
