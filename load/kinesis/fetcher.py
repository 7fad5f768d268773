"""GetRecords of several shards at once: a worker thread per shard being read (at most `threads`), each
shard's batches in order, handed over through a small bounded queue (so memory stays bounded).

The workers only fetch. Positions, bounds and the finished list stay with the consumer (the StreamReader), so
the state dlt commits never runs ahead of the batches handed on to it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from load.kinesis.client import error_code, is_throttled
from load.kinesis.shards import is_after
from load.retry import Backoff

log = logging.getLogger("load.kinesis")

EXPIRED_ITERATOR = "ExpiredIteratorException"
_HANDOVER_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Fetched:
    """One GetRecords answer of a shard: its records after the position read from, in order.

    `closed`: the shard is closed and read to its end. `last`: no more batches of this shard in this read
    (closed, or caught up with the stream's tip).
    """

    shard_id: str
    records: list[dict[str, Any]]
    closed: bool
    last: bool


@dataclass(frozen=True)
class _Failed:
    error: BaseException


_Handoff = queue.Queue[Fetched | _Failed]


@dataclass(frozen=True)
class ShardFetchers:
    """Reads shards from given positions in parallel. `limit()` is asked before each GetRecords call."""

    client: Any
    stream_name: str
    start_timestamp: str | None
    backoff: Backoff
    threads: int
    limit: Callable[[], int]

    def read(self, positions: dict[str, str | None], open_shards: frozenset[str] = frozenset()) -> Iterator[Fetched]:
        """Batches of the shards in `positions` (shard id: last sequence number read, None = never read), as
        they arrive; each shard's in order. Closing the iterator stops the workers after their current call.
        A shard in `open_shards` (listed as open) is caught up as soon as a batch says so (`caught_up`); any
        other is read until an empty batch, which is where a closed shard reports its end."""
        stop = threading.Event()
        handoff: _Handoff = queue.Queue(maxsize=self.threads)
        pool = ThreadPoolExecutor(max_workers=min(self.threads, len(positions)), thread_name_prefix="kinesis")
        try:
            for shard_id, position in positions.items():
                is_open = shard_id in open_shards
                pool.submit(self._fetch_reporting_errors, shard_id, position, is_open, handoff, stop)
            reading = len(positions)
            while reading:
                item = handoff.get()
                if isinstance(item, _Failed):
                    raise item.error
                reading -= item.last
                yield item
        finally:
            stop.set()
            pool.shutdown(wait=False, cancel_futures=True)

    def _fetch_reporting_errors(
        self, shard_id: str, position: str | None, is_open: bool, handoff: _Handoff, stop: threading.Event
    ) -> None:
        try:
            self._fetch(shard_id, position, is_open, handoff, stop)
        except BaseException as error:  # handed to the consumer, which raises it in its own thread
            _hand_over(handoff, _Failed(error), stop)

    def _fetch(
        self, shard_id: str, position: str | None, is_open: bool, handoff: _Handoff, stop: threading.Event
    ) -> None:
        iterator = self._shard_iterator(shard_id, position)
        attempt = 0
        while not stop.is_set():
            limit = self.limit()
            try:
                response = self.client.get_records(ShardIterator=iterator, Limit=limit)
            except ClientError as error:
                if is_throttled(error):
                    attempt += 1
                    self.backoff.wait(attempt, error)
                elif error_code(error) == EXPIRED_ITERATOR:
                    # Iterators live 5 minutes; a new one from the last position fetched neither skips nor repeats.
                    log.info("kinesis: iterator of %s expired, renewing from the last position", shard_id)
                    iterator = self._shard_iterator(shard_id, position)
                else:
                    raise
                continue
            attempt = 0
            returned = response.get("Records", [])
            records = _unseen(returned, position)
            if records:
                position = records[-1]["SequenceNumber"]
            next_iterator = response.get("NextShardIterator")
            last = next_iterator is None or caught_up(response, limit, is_open)
            if (records or last) and not _hand_over(
                handoff, Fetched(shard_id, records, closed=next_iterator is None, last=last), stop
            ):
                return
            if last:
                return
            iterator = next_iterator

    def _shard_iterator(self, shard_id: str, position: str | None) -> str:
        arguments: dict[str, Any]
        if position is not None:
            arguments = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "StartingSequenceNumber": position}
        elif self.start_timestamp:
            arguments = {"ShardIteratorType": "AT_TIMESTAMP", "Timestamp": datetime.fromisoformat(self.start_timestamp)}
        else:
            arguments = {"ShardIteratorType": "TRIM_HORIZON"}
        response = self.backoff.call(
            is_throttled, self.client.get_shard_iterator, StreamName=self.stream_name, ShardId=shard_id, **arguments
        )
        return response["ShardIterator"]


def caught_up(response: dict[str, Any], limit: int, is_open: bool) -> bool:
    """Whether a GetRecords answer leaves nothing more to read now. MillisBehindLatest 0 is the stream's tip: after
    a batch shorter than asked for, one more call would come back empty, so an open shard stops without it (a call
    saved per shard and run, and GetRecords is rationed to 5 calls/s per shard). A closed shard goes on to the
    empty answer without a next iterator, which tells that its children may start."""
    at_tip = response.get("MillisBehindLatest", 0) == 0
    returned = len(response.get("Records", []))
    return at_tip and (returned == 0 or (is_open and "MillisBehindLatest" in response and returned < limit))


def _unseen(records: list[dict[str, Any]], position: str | None) -> list[dict[str, Any]]:
    # Guard against a server re-delivering the position itself (some emulators do).
    if position is None:
        return records
    return [record for record in records if is_after(record["SequenceNumber"], position)]


def _hand_over(handoff: _Handoff, item: Fetched | _Failed, stop: threading.Event) -> bool:
    """Put `item` once there is room; False when the consumer stopped reading first."""
    while not stop.is_set():
        try:
            handoff.put(item, timeout=_HANDOVER_POLL_SECONDS)
            return True
        except queue.Full:
            continue
    return False
