"""The stream reader against an in-memory Kinesis: order, positions, faults, bounds."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from fake_kinesis import FakeKinesis, FakeShard, client_error

from load.kinesis.reader import Bounds, StreamReader
from load.retry import Backoff

NO_SLEEP = Backoff(sleep=lambda _seconds: None)


def _reader(client: FakeKinesis, state: dict[str, Any] | None = None, **options: Any) -> StreamReader:
    return StreamReader(client, "events", {} if state is None else state, backoff=NO_SLEEP, **options)


def _read(reader: StreamReader) -> list[tuple[str, bytes]]:
    return [(shard_id, record["Data"]) for shard_id, records in reader.batches() for record in records]


def _get_records_calls(client: FakeKinesis) -> list[str]:
    return [call for call in client.calls if call.startswith("get_records")]


def _split_stream() -> FakeKinesis:
    client = FakeKinesis(
        [FakeShard("parent", closed=True), FakeShard("left", ("parent",)), FakeShard("right", ("parent",))]
    )
    client.put("left", b"child-1")
    client.put("parent", b"parent-1")
    client.put("parent", b"parent-2")
    client.put("right", b"child-2")
    return client


def test_parent_is_read_to_its_end_before_children_and_listing_is_paginated() -> None:
    client = _split_stream()
    state: dict[str, Any] = {}
    read = _read(_reader(client, state))
    assert [data for _shard, data in read][:2] == [b"parent-1", b"parent-2"]
    assert sorted(data for _shard, data in read) == [b"child-1", b"child-2", b"parent-1", b"parent-2"]
    assert state["finished"] == ["parent"]
    assert "list_shards ['NextToken']" in client.calls


def test_a_rerun_reads_only_new_records() -> None:
    client = _split_stream()
    state: dict[str, Any] = {}
    _read(_reader(client, state))
    assert _read(_reader(client, state)) == []
    client.put("left", b"child-3")
    assert _read(_reader(client, state)) == [("left", b"child-3")]


def test_expired_iterator_is_renewed_from_the_last_position_read() -> None:
    client = FakeKinesis([FakeShard("only")])
    for index in range(5):
        client.put("only", f"r{index}".encode())
    # The second GetRecords (after r0, r1) finds its iterator expired.
    client.get_records_faults.extend([None, client_error("ExpiredIteratorException")])
    read = _read(_reader(client, {}, batch_limit=2))
    assert [data for _shard, data in read] == [b"r0", b"r1", b"r2", b"r3", b"r4"]
    assert "get_shard_iterator only AFTER_SEQUENCE_NUMBER" in client.calls


def test_throttling_backs_off_and_retries() -> None:
    client = FakeKinesis([FakeShard("only")])
    client.put("only", b"r0")
    client.get_records_faults.extend([client_error("ProvisionedThroughputExceededException")] * 3)
    sleeps: list[float] = []
    reader = StreamReader(client, "events", {}, backoff=Backoff(sleep=sleeps.append))
    assert _read(reader) == [("only", b"r0")]
    assert len(sleeps) == 3


def test_persistent_throttling_fails_the_run() -> None:
    client = FakeKinesis([FakeShard("only")])
    client.get_records_faults.extend([client_error("ProvisionedThroughputExceededException")] * 20)
    with pytest.raises(Exception, match="ProvisionedThroughputExceeded"):
        _read(StreamReader(client, "events", {}, backoff=Backoff(sleep=lambda _s: None, max_attempts=3)))


def test_max_records_bound_and_resume() -> None:
    client = FakeKinesis([FakeShard("a"), FakeShard("b")])
    for index in range(6):
        client.put("ab"[index % 2], f"r{index}".encode())
    state: dict[str, Any] = {}
    first = _read(_reader(client, state, bounds=Bounds(max_records=4)))
    second = _read(_reader(client, state))
    assert len(first) == 4
    assert sorted(first + second) == sorted(("ab"[index % 2], f"r{index}".encode()) for index in range(6))


def test_sequence_numbers_are_stored_as_strings() -> None:
    client = FakeKinesis([FakeShard("only")])
    last = client.put("only", b"r0")
    state: dict[str, Any] = {}
    _read(_reader(client, state))
    assert state["positions"] == {"only": last}


def test_shards_read_in_parallel_keep_their_order_and_the_state_follows_what_was_handed_on() -> None:
    client = FakeKinesis([FakeShard(f"s{number}") for number in range(4)])
    for index in range(40):
        client.put(f"s{index % 4}", f"r{index}".encode())
    state: dict[str, Any] = {}
    handed_on: dict[str, str] = {}
    read: dict[str, list[bytes]] = {}
    for shard_id, records in _reader(client, state, batch_limit=3, threads=4).batches():
        handed_on[shard_id] = records[-1]["SequenceNumber"]
        assert state["positions"] == handed_on, "positions never run ahead of the batches handed on"
        read.setdefault(shard_id, []).extend(record["Data"] for record in records)
    assert read == {f"s{number}": [f"r{index}".encode() for index in range(number, 40, 4)] for number in range(4)}


def test_a_closed_shard_cut_by_the_bound_is_not_finished() -> None:
    client = FakeKinesis([FakeShard("a", closed=True), FakeShard("b", closed=True)])
    for shard_id in "aabb":
        client.put(shard_id, shard_id.encode())
    state: dict[str, Any] = {}
    # Both shards answer with their last 2 records at once: the batch handed on second is cut to 1.
    first = _read(_reader(client, state, bounds=Bounds(max_records=3)))
    assert len(first) == 3
    (cut,) = {"a", "b"} - set(state["finished"])
    assert _read(_reader(client, state)) == [(cut, cut.encode())]
    assert sorted(state["finished"]) == ["a", "b"]


def test_stopping_early_ends_the_fetching_threads() -> None:
    client = FakeKinesis([FakeShard(f"s{number}") for number in range(3)])
    for index in range(300):
        client.put(f"s{index % 3}", b"r")
    batches = _reader(client, {}, batch_limit=1).batches()
    next(batches)
    batches.close()
    deadline = time.monotonic() + 5
    while any(thread.name.startswith("kinesis") for thread in threading.enumerate()):
        assert time.monotonic() < deadline, "fetching threads still running after the reader stopped"
        time.sleep(0.01)


def test_an_open_shard_at_the_tip_stops_without_an_empty_call() -> None:
    client = FakeKinesis([FakeShard("only")])
    for index in range(3):
        client.put("only", f"r{index}".encode())
    state: dict[str, Any] = {}
    assert len(_read(_reader(client, state, batch_limit=2))) == 3
    # r0-r1 (a full batch: more may follow), then r2 at MillisBehindLatest 0: no third call for an empty answer.
    assert _get_records_calls(client) == ["get_records only|0", "get_records only|2"]
    client.put("only", b"r3")
    assert _read(_reader(client, state, batch_limit=2)) == [("only", b"r3")]


def test_a_closed_shard_is_read_to_its_end_so_its_children_follow_in_the_same_run() -> None:
    client = FakeKinesis([FakeShard("parent", closed=True), FakeShard("child", ("parent",))])
    client.put("parent", b"p0")
    client.put("child", b"c0")
    state: dict[str, Any] = {}
    assert _read(_reader(client, state)) == [("parent", b"p0"), ("child", b"c0")]
    assert state["finished"] == ["parent"]


def test_a_shard_listed_without_its_range_is_read_until_an_empty_answer() -> None:
    client = FakeKinesis([FakeShard("only")], list_ranges=False)
    client.put("only", b"r0")
    assert _read(_reader(client, {})) == [("only", b"r0")]
    assert _get_records_calls(client) == ["get_records only|0", "get_records only|1"]


def test_the_shards_are_listed_again_only_after_a_parent_was_read_to_its_end() -> None:
    client = FakeKinesis([FakeShard("a"), FakeShard("b")], list_page_size=2)
    client.put("a", b"r0")
    _read(_reader(client, {}))
    assert [call for call in client.calls if call.startswith("list_shards")] == ["list_shards ['StreamName']"]
