"""Read a Kinesis stream from saved positions, several shards at once, until caught up or at a bound.

The positions live in a plain dict that the caller hands in (the dlt resource state), so they are
committed with the data they describe. A position is advanced before its batch is handed on: both
reach the warehouse in the same dlt load package, or neither does. Fetching runs ahead in worker threads
(load/kinesis/fetcher.py); the state is only written here, as batches are handed on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from load.kinesis.client import is_throttled
from load.kinesis.fetcher import Fetched, ShardFetchers
from load.kinesis.shards import Shard, ready_shards, recreated_shard, recreated_stream_error, shard_from_listing
from load.retry import Backoff

__all__ = ["Backoff", "Bounds", "StreamReader"]

DEFAULT_THREADS = 8


@dataclass(frozen=True)
class Bounds:
    """When one run stops even if the stream has more: after `max_records` records or `max_seconds`."""

    max_records: int | None = None
    max_seconds: float | None = None


@dataclass
class StreamReader:
    """Yields `(shard_id, records)` batches of GetRecords; `state` holds positions between runs.

    state = {"positions": {shard_id: last sequence number read}, "finished": [closed shards read to the end],
             "start_timestamp": ISO time to start never-read shards at, or absent for TRIM_HORIZON}

    Each round reads every shard that is ready (its parents read to their end), `threads` at a time, each
    until caught up; when a round read a closed shard to its end, the shards are listed again, so its children
    follow in the same run.
    """

    client: Any
    stream_name: str
    state: dict[str, Any]
    bounds: Bounds = Bounds()
    batch_limit: int = 10_000
    backoff: Backoff = field(default_factory=Backoff)
    threads: int = DEFAULT_THREADS
    clock: Callable[[], float] = time.monotonic
    records_read: int = 0

    def __post_init__(self) -> None:
        self.state.setdefault("positions", {})
        self.state.setdefault("finished", [])
        self._started = self.clock()
        self._fetchers = ShardFetchers(
            self.client,
            self.stream_name,
            start_timestamp=self.state.get("start_timestamp"),
            backoff=self.backoff,
            threads=max(1, self.threads),
            limit=self._limit,
        )

    def batches(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        visited: set[str] = set()
        parent_finished = True
        while parent_finished and not self._at_bound():
            # Listed again after a round that read a closed shard to its end: its children become ready. After
            # any other round no shard can have become ready (a new shard has a parent not read to its end).
            parent_finished = False
            shards = self._list_shards()
            self._forget_unlisted(shards)
            finished = set(self.state["finished"])
            recreated = recreated_shard(shards, finished, self.state["positions"])
            if recreated is not None:
                raise recreated_stream_error(self.stream_name, *recreated)
            ready = ready_shards(shards, finished, visited)
            if not ready:
                return
            visited.update(shard.shard_id for shard in ready)
            positions = {shard.shard_id: self.state["positions"].get(shard.shard_id) for shard in ready}
            open_shards = frozenset(shard.shard_id for shard in ready if shard.is_open)
            with closing(self._fetchers.read(positions, open_shards)) as fetched_batches:
                for fetched in fetched_batches:
                    records = self._take(fetched)
                    if records:
                        yield fetched.shard_id, records
                    if fetched.closed and len(records) == len(fetched.records):
                        # A closed shard read to its end: its children may start.
                        self.state["finished"].append(fetched.shard_id)
                        parent_finished = True
                    if self._at_bound():
                        return

    def _take(self, fetched: Fetched) -> list[dict[str, Any]]:
        """The batch's records within the bound, with the shard's position and the count advanced."""
        records = fetched.records
        if self.bounds.max_records is not None:
            records = records[: max(0, self.bounds.max_records - self.records_read)]
        if records:
            self.records_read += len(records)
            self.state["positions"][fetched.shard_id] = records[-1]["SequenceNumber"]
        return records

    def _list_shards(self) -> list[Shard]:
        shards: list[Shard] = []
        arguments: dict[str, Any] = {"StreamName": self.stream_name}
        while True:
            response = self.backoff.call(is_throttled, self.client.list_shards, **arguments)
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

    def _limit(self) -> int:
        # Asked by the fetching threads: other shards' batches may be in flight, so the bound is enforced
        # again in `_take`; this only keeps the calls from reading far past it.
        if self.bounds.max_records is None:
            return self.batch_limit
        return max(1, min(self.batch_limit, self.bounds.max_records - self.records_read))

    def _at_bound(self) -> bool:
        bounds = self.bounds
        return (bounds.max_records is not None and self.records_read >= bounds.max_records) or (
            bounds.max_seconds is not None and self.clock() - self._started >= bounds.max_seconds
        )
