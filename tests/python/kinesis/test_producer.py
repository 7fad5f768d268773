"""PutRecords batching and partial-failure retries (fake client)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from demo.kinesis_producer import MAX_BATCH_BYTES, MAX_BATCH_RECORDS, PUT_RETRIES, Entry, batches, put_entries


class FlakyPutter:
    """Fails every third entry of each request once; records what each request carried."""

    def __init__(self) -> None:
        self.requests: list[list[bytes]] = []
        self.failed_once: set[bytes] = set()

    def put_records(self, StreamName: str, Records: list[dict[str, Any]]) -> dict[str, Any]:
        self.requests.append([record["Data"] for record in Records])
        results = []
        for index, record in enumerate(Records):
            if index % 3 == 0 and record["Data"] not in self.failed_once:
                self.failed_once.add(record["Data"])
                results.append({"ErrorCode": "ProvisionedThroughputExceededException", "ErrorMessage": "slow down"})
            else:
                results.append({"SequenceNumber": "1", "ShardId": "shardId-000000000000"})
        return {"FailedRecordCount": sum("ErrorCode" in result for result in results), "Records": results}


def test_batches_respect_count_and_size_limits() -> None:
    small = [Entry(b"x", str(index)) for index in range(1201)]
    assert [len(batch) for batch in batches(small)] == [MAX_BATCH_RECORDS, MAX_BATCH_RECORDS, 201]
    big = [Entry(b"x" * (1024 * 1024 - 100), str(index)) for index in range(6)]
    sizes = [sum(entry.size for entry in batch) for batch in batches(big)]
    assert all(size <= MAX_BATCH_BYTES for size in sizes)
    assert sum(len(batch) for batch in batches(big)) == 6


def test_only_failed_entries_are_sent_again() -> None:
    client = FlakyPutter()
    entries = [Entry(f"r{index}".encode(), str(index)) for index in range(10)]
    assert put_entries(client, "events", entries, replace(PUT_RETRIES, sleep=lambda _seconds: None)) == 10
    first, retry = client.requests
    assert first == [entry.data for entry in entries]
    assert retry == [b"r0", b"r3", b"r6", b"r9"]
