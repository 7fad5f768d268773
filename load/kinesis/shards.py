"""Shard lineage and sequence numbers: which shards may be read now, and positions compared as integers. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from load.errors import LoadConfigError


@dataclass(frozen=True)
class Shard:
    shard_id: str
    # A split has one parent; a merge has a parent and an adjacent parent.
    parents: tuple[str, ...]
    # The listing shows the shard open (a sequence number range without an end). A closed shard, or one whose
    # listing does not say, is read until GetRecords reports its end, so its children may start in the same run.
    is_open: bool = False
    first_sequence_number: str | None = None


def shard_from_listing(item: dict[str, Any]) -> Shard:
    parents = tuple(item[key] for key in ("ParentShardId", "AdjacentParentShardId") if item.get(key))
    numbers = item.get("SequenceNumberRange")
    first = numbers.get("StartingSequenceNumber") if isinstance(numbers, dict) else None
    is_open = first is not None and not numbers.get("EndingSequenceNumber")
    return Shard(shard_id=item["ShardId"], parents=parents, is_open=is_open, first_sequence_number=first)


def recreated_shard(shards: Iterable[Shard], finished: set[str], positions: dict[str, str]) -> tuple[str, str] | None:
    """(shard id, why) of a listed shard that cannot be the one the saved state describes, or None.

    A stream deleted and created again under its name starts over at the same shard ids. A shard read to its end
    was closed, and a closed shard never opens again; a saved position older than the shard's first sequence number
    was read from a shard before it. Reading on would skip the new shard, or read it from a position it never had.
    """
    for shard in shards:
        if shard.is_open and shard.shard_id in finished:
            return shard.shard_id, "an earlier load read it to its end, and it is open again"
        saved, first = positions.get(shard.shard_id), shard.first_sequence_number
        if saved is not None and first is not None and int(saved) < int(first):
            return shard.shard_id, "the saved position is older than the shard"
    return None


def recreated_stream_error(stream: str, shard_id: str, why: str) -> LoadConfigError:
    return LoadConfigError(
        f"Kinesis shard {shard_id} of {stream} is not the shard the warehouse resumes from ({why}: the stream was "
        "recreated): `python -m load reset kinesis` reads the stream from its start again and keeps the warehouse"
    )


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
