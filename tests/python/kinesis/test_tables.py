"""Records routed to their table, as Arrow tables of the raw_email contract (no server)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pyarrow as pa

from load.kinesis.tables import EVENTS_TABLE, REJECTED_TABLE, batch_tables, route
from load.kinesis.validation import EventTimeWindow

ARRIVAL = datetime(2024, 5, 17, 12, tzinfo=UTC)
WINDOW = EventTimeWindow()


def _record(data: bytes, sequence: str = "4968", arrival: datetime = ARRIVAL) -> dict[str, Any]:
    return {"Data": data, "SequenceNumber": sequence, "PartitionKey": "p", "ApproximateArrivalTimestamp": arrival}


def test_valid_and_invalid_records_go_to_their_tables() -> None:
    event = {"event_id": "e-1", "event_type": "opened", "datetime": "2024-05-17T10:00:00Z", "device": "mobile"}
    table, row = route(_record(json.dumps(event).encode()), WINDOW)
    assert table == EVENTS_TABLE
    assert (row["event_at"], row["device"]) == (datetime(2024, 5, 17, 10, tzinfo=UTC), "mobile")

    table, row = route(_record(b"\x80not utf-8"), WINDOW)
    assert table == REJECTED_TABLE
    assert row["reason"] == "not_utf8"
    assert row["payload_is_base64"]
    assert base64.b64decode(row["payload"]) == b"\x80not utf-8"


def test_a_batch_becomes_one_typed_table_per_destination() -> None:
    event = {"event_id": "e-1", "event_type": "sent", "datetime": 1715940000, "algorithms": ["trends", "ö"]}
    event |= {"user": 2**63 - 1, "bounce": True, "new_field": {"a": 1}}
    arrival_in_cest = datetime(2024, 5, 17, 14, tzinfo=timezone(timedelta(hours=2)))
    records = [_record(json.dumps(event).encode(), "1", arrival_in_cest), _record(b"[]", "2")]
    tables = batch_tables(records, "shardId-7", WINDOW)
    events, rejected = tables[EVENTS_TABLE], tables[REJECTED_TABLE]
    assert events.schema.field("event_at").type == pa.timestamp("us", tz="UTC")
    assert events.schema.field("user").type == pa.int64()
    (row,) = events.to_pylist()
    assert (row["shard_id"], row["sequence_number"], row["partition_key"]) == ("shardId-7", "1", "p")
    assert row["_dlt_id"] == "shardId-7/1"
    assert row["algorithms"] == '["trends","ö"]'
    assert json.loads(row["extra_fields"]) == {"new_field": {"a": 1}}
    assert row["approximate_arrival_at"] == ARRIVAL
    assert (row["user"], row["bounce"], row["complaint"], row["layout"]) == (2**63 - 1, True, None, None)
    assert rejected.to_pylist() == [
        {
            "payload": "[]",
            "payload_is_base64": False,
            "reason": "not_an_object",
            "reason_detail": "payload is a JSON array, not an object",
            "shard_id": "shardId-7",
            "sequence_number": "2",
            "partition_key": "p",
            "approximate_arrival_at": ARRIVAL,
            "_dlt_id": "shardId-7/2",
        }
    ]


def test_a_batch_without_rejects_has_no_rejected_table() -> None:
    event = b'{"event_id": "e-1", "event_type": "sent", "datetime": 1715940000}'
    assert list(batch_tables([_record(event)], "shardId-1", WINDOW)) == [EVENTS_TABLE]


def test_the_event_time_is_checked_against_the_arrival_of_its_record() -> None:
    event = b'{"event_id": "e-1", "event_type": "sent", "datetime": "2024-05-10T12:00:00Z"}'
    assert route(_record(event), EventTimeWindow(max_age=timedelta(days=7)))[0] == EVENTS_TABLE
    table, row = route(_record(event), EventTimeWindow(max_age=timedelta(days=6)))
    assert (table, row["reason"]) == (REJECTED_TABLE, "implausible_datetime")
    ahead = b'{"event_id": "e-1", "event_type": "sent", "datetime": "2024-05-17T14:00:00Z"}'
    assert route(_record(ahead), EventTimeWindow(max_ahead=timedelta(hours=1)))[1]["reason"] == "implausible_datetime"
