"""Shard lineage and sequence number order (pure)."""

from __future__ import annotations

from load.kinesis.shards import Shard, is_after, ready_shards, recreated_shard, shard_from_listing


def test_children_wait_for_their_parents() -> None:
    parent, other = Shard("s-0", ()), Shard("s-1", ())
    left, right = Shard("s-2", ("s-0",)), Shard("s-3", ("s-0",))
    merged = Shard("s-4", ("s-1", "s-3"))
    shards = [parent, other, left, right, merged]
    assert ready_shards(shards, finished=set(), visited=set()) == [parent, other]
    assert ready_shards(shards, finished={"s-0"}, visited={"s-0", "s-1"}) == [left, right]
    assert ready_shards(shards, finished={"s-0", "s-1", "s-3"}, visited=set()) == [left, merged]


def test_a_parent_past_retention_does_not_block() -> None:
    child = Shard("s-2", ("s-0",))
    assert ready_shards([child], finished=set(), visited=set()) == [child]


def test_listing_parents() -> None:
    shard = shard_from_listing({"ShardId": "s-4", "ParentShardId": "s-1", "AdjacentParentShardId": "s-3"})
    assert shard == Shard("s-4", ("s-1", "s-3"))
    assert shard_from_listing({"ShardId": "s-0"}).parents == ()


def test_sequence_numbers_compare_as_integers() -> None:
    assert is_after("10", "9")
    assert not is_after("9", "10")
    assert not is_after(
        "49680482736091068116368094717201742337114316089463930882",
        "4968048273609106811636809471720174233711431608946393088200",
    )
    assert is_after("1", None)


def test_listing_tells_open_shards_from_closed_ones() -> None:
    assert shard_from_listing({"ShardId": "s-0", "SequenceNumberRange": {"StartingSequenceNumber": "1"}}).is_open
    closed = {"ShardId": "s-0", "SequenceNumberRange": {"StartingSequenceNumber": "1", "EndingSequenceNumber": "9"}}
    assert not shard_from_listing(closed).is_open
    assert not shard_from_listing({"ShardId": "s-0"}).is_open, "a listing that does not say is not taken as open"


def test_a_shard_the_state_cannot_describe_means_a_recreated_stream() -> None:
    def listed(shard_id: str, first: str, last: str | None = None) -> Shard:
        numbers = {"StartingSequenceNumber": first, **({"EndingSequenceNumber": last} if last else {})}
        return shard_from_listing({"ShardId": shard_id, "SequenceNumberRange": numbers})

    split = [listed("s-0", "100", "199"), listed("s-1", "200"), listed("s-2", "210")]
    assert recreated_shard(split, finished={"s-0"}, positions={"s-1": "250", "s-2": "210"}) is None
    reopened = [listed("s-0", "900")]  # the stream created again: its first shard has the old id, open
    assert recreated_shard(reopened, finished={"s-0"}, positions={}) == (
        "s-0",
        "an earlier load read it to its end, and it is open again",
    )
    older = recreated_shard([listed("s-1", "900")], finished=set(), positions={"s-1": "250"})
    assert older == ("s-1", "the saved position is older than the shard")
