"""Routing of records to tables and the start position of never-read shards (no server)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from load.errors import LoadConfigError
from load.kinesis.source import EVENTS_TABLE, REJECTED_TABLE, check_start, record_row, start_state

ARRIVAL = datetime(2024, 5, 17, 12, tzinfo=UTC)


def _record(data: bytes) -> dict[str, Any]:
    return {"Data": data, "SequenceNumber": "4968", "PartitionKey": "p", "ApproximateArrivalTimestamp": ARRIVAL}


def test_valid_and_invalid_records_go_to_their_tables_with_their_origin() -> None:
    event = {"event_id": "e-1", "event_type": "opened", "datetime": "2024-05-17T10:00:00Z", "device": "mobile"}
    table, row = record_row(_record(json.dumps(event).encode()), "shardId-1")
    assert table == EVENTS_TABLE
    assert (row["shard_id"], row["sequence_number"], row["approximate_arrival_at"]) == ("shardId-1", "4968", ARRIVAL)
    assert row["event_at"] == datetime(2024, 5, 17, 10, tzinfo=UTC)

    table, row = record_row(_record(b"\x80not utf-8"), "shardId-1")
    assert table == REJECTED_TABLE
    assert row["reason"] == "not_utf8"
    assert row["payload_is_base64"]
    assert base64.b64decode(row["payload"]) == b"\x80not utf-8"


def test_latest_starts_never_read_shards_at_the_first_runs_time() -> None:
    state: dict[str, Any] = {}
    start_state(state, "LATEST", None)
    first = state["start_timestamp"]
    start_state(state, "LATEST", None)
    assert state["start_timestamp"] == first
    resumed: dict[str, Any] = {"positions": {"shardId-1": "1"}}
    start_state(resumed, "LATEST", None)
    assert "start_timestamp" not in resumed, "a stream read from TRIM_HORIZON keeps reading new shards from it"


def test_at_timestamp_and_bad_positions() -> None:
    state: dict[str, Any] = {}
    start_state(state, "AT_TIMESTAMP", "2024-05-01T00:00:00+00:00")
    assert state["start_timestamp"] == "2024-05-01T00:00:00+00:00"
    with pytest.raises(LoadConfigError, match="initial_position"):
        check_start("EARLIEST", None)
    with pytest.raises(LoadConfigError, match="initial_timestamp"):
        check_start("AT_TIMESTAMP", None)
