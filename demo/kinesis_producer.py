"""Write side of a stream (demo and tests): create it, and PutRecords in batches with partial-failure retries."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from load.retry import Backoff, wait_until

log = logging.getLogger("demo")

# PutRecords limits: 500 entries and 5 MiB (data + partition keys) per request; 1 MiB per record.
MAX_BATCH_RECORDS = 500
MAX_BATCH_BYTES = 5 * 1024 * 1024
MAX_RECORD_BYTES = 1024 * 1024
# Failed entries of a PutRecords (usually throttled) are sent again after a short pause.
PUT_RETRIES = Backoff(base_seconds=0.1, max_attempts=8)


@dataclass(frozen=True)
class Entry:
    data: bytes
    partition_key: str

    @property
    def size(self) -> int:
        return len(self.data) + len(self.partition_key.encode())


def create_stream(client: Any, stream_name: str, shards: int, timeout_seconds: float = 60.0) -> bool:
    """Create the stream unless it exists; wait until ACTIVE. True when it was created now."""
    created = True
    try:
        client.create_stream(StreamName=stream_name, ShardCount=shards)
    except client.exceptions.ResourceInUseException:
        created = False
    wait_active(client, stream_name, timeout_seconds)
    return created


def wait_active(client: Any, stream_name: str, timeout_seconds: float = 60.0) -> None:
    # boto3's waiter polls every 10 s; local servers turn ACTIVE in well under a second.
    def active() -> bool:
        summary = client.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]
        return summary["StreamStatus"] == "ACTIVE"

    if not wait_until(active, timeout_seconds, interval_seconds=0.1):
        raise TimeoutError(f"stream {stream_name} not ACTIVE after {timeout_seconds:.0f}s")


def batches(entries: Iterable[Entry]) -> Iterator[list[Entry]]:
    """Consecutive entries in requests within the PutRecords limits."""
    batch: list[Entry] = []
    size = 0
    for entry in entries:
        if batch and (len(batch) == MAX_BATCH_RECORDS or size + entry.size > MAX_BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(entry)
        size += entry.size
    if batch:
        yield batch


def put_entries(
    client: Any,
    stream_name: str,
    entries: Iterable[Entry],
    backoff: Backoff = PUT_RETRIES,
) -> int:
    """Put every entry; of a partial failure, only the failed entries are sent again. Returns entries put."""
    put = 0
    for batch in batches(entries):
        pending = batch
        for attempt in range(backoff.max_attempts):
            response = client.put_records(
                StreamName=stream_name,
                Records=[{"Data": entry.data, "PartitionKey": entry.partition_key} for entry in pending],
            )
            # Results line up with the request; failed ones carry an ErrorCode (usually throttling).
            results = response["Records"]
            pending = [entry for entry, result in zip(pending, results, strict=True) if "ErrorCode" in result]
            if not pending:
                break
            log.info("kinesis: %d of a batch failed, retrying them", len(pending))
            backoff.sleep(backoff.delay(attempt))
        else:
            raise RuntimeError(f"{len(pending)} records still failing after {backoff.max_attempts} PutRecords attempts")
        put += len(batch)
    return put
