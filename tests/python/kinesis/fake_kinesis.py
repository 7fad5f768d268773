"""An in-memory Kinesis client with the few calls the reader makes, and faults to inject."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError


def client_error(code: str, operation: str = "GetRecords") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, operation)


@dataclass
class FakeShard:
    shard_id: str
    parents: tuple[str, ...] = ()
    closed: bool = False
    records: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class FakeKinesis:
    shards: list[FakeShard]
    # What the next get_records calls raise, in order: an exception, or None for a normal answer.
    get_records_faults: list[ClientError | None] = field(default_factory=list)
    list_page_size: int = 1
    # Whether the listing gives each shard's sequence number range (an open shard's has no end), as Kinesis does.
    list_ranges: bool = True
    calls: list[str] = field(default_factory=list)
    _next_sequence: int = 10**50

    def put(self, shard_id: str, data: bytes) -> str:
        self._next_sequence += 7
        shard = self._shard(shard_id)
        sequence = str(self._next_sequence)
        shard.records.append(
            {
                "SequenceNumber": sequence,
                "Data": data,
                "PartitionKey": "k",
                "ApproximateArrivalTimestamp": datetime.now(UTC),
            }
        )
        return sequence

    def list_shards(self, **arguments: Any) -> dict[str, Any]:
        self.calls.append(f"list_shards {sorted(arguments)}")
        start = int(arguments.get("NextToken", 0))
        page = self.shards[start : start + self.list_page_size]
        listing = []
        for shard in page:
            item: dict[str, Any] = {"ShardId": shard.shard_id}
            if self.list_ranges:
                end = {"EndingSequenceNumber": "9" * 50} if shard.closed else {}
                item["SequenceNumberRange"] = {"StartingSequenceNumber": "0", **end}
            item.update(zip(("ParentShardId", "AdjacentParentShardId"), shard.parents, strict=False))
            listing.append(item)
        more = start + self.list_page_size < len(self.shards)
        return {"Shards": listing, **({"NextToken": str(start + self.list_page_size)} if more else {})}

    def get_shard_iterator(
        self, StreamName: str, ShardId: str, ShardIteratorType: str, **arguments: Any
    ) -> dict[str, Any]:
        self.calls.append(f"get_shard_iterator {ShardId} {ShardIteratorType}")
        shard = self._shard(ShardId)
        if ShardIteratorType == "TRIM_HORIZON":
            index = 0
        elif ShardIteratorType == "AFTER_SEQUENCE_NUMBER":
            after = int(arguments["StartingSequenceNumber"])
            index = sum(1 for record in shard.records if int(record["SequenceNumber"]) <= after)
        else:
            index = len(shard.records)
        return {"ShardIterator": f"{ShardId}|{index}"}

    def get_records(self, ShardIterator: str, Limit: int) -> dict[str, Any]:
        self.calls.append(f"get_records {ShardIterator}")
        fault = self.get_records_faults.pop(0) if self.get_records_faults else None
        if fault is not None:
            raise fault
        shard_id, index_text = ShardIterator.split("|")
        shard, index = self._shard(shard_id), int(index_text)
        records = shard.records[index : index + Limit]
        end = index + len(records)
        response: dict[str, Any] = {"Records": records, "MillisBehindLatest": 0 if end == len(shard.records) else 1000}
        if not (shard.closed and end == len(shard.records)):
            response["NextShardIterator"] = f"{shard_id}|{end}"
        return response

    def _shard(self, shard_id: str) -> FakeShard:
        return next(shard for shard in self.shards if shard.shard_id == shard_id)
