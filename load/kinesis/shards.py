"""Shard lineage and sequence numbers: which shards may be read now, and positions compared as integers. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Shard:
    shard_id: str
    # A split has one parent; a merge has a parent and an adjacent parent.
    parents: tuple[str, ...]
    # The listing shows the shard open (a sequence number range without an end). A closed shard, or one whose
    # listing does not say, is read until GetRecords reports its end, so its children may start in the same run.
    is_open: bool = False


def shard_from_listing(item: dict[str, Any]) -> Shard:
    parents = tuple(item[key] for key in ("ParentShardId", "AdjacentParentShardId") if item.get(key))
    numbers = item.get("SequenceNumberRange")
    is_open = isinstance(numbers, dict) and "StartingSequenceNumber" in numbers
    return Shard(shard_id=item["ShardId"], parents=parents, is_open=is_open and not numbers.get("EndingSequenceNumber"))


def ready_shards(shards: Iterable[Shard], finished: set[str], visited: set[str]) -> list[Shard]:
    """Shards to read now: not finished, not read yet in this run, and every listed parent read to its end.

    A parent no longer listed has aged out of the stream's retention, so nothing of it is left to wait for.
    Reading parents first keeps each partition key's records in order across a reshard.
    """
    shards = list(shards)
    listed = {shard.shard_id for shard in shards}
    return [
        shard
        for shard in shards
        if shard.shard_id not in finished
        and shard.shard_id not in visited
        and all(parent in finished or parent not in listed for parent in shard.parents)
    ]


def is_after(sequence_number: str, position: str | None) -> bool:
    """True when `sequence_number` comes after `position` (None = nothing read yet).

    Sequence numbers are decimal strings of up to 128 bits: compared as strings, "9" > "10".
    """
    return position is None or int(sequence_number) > int(position)
