"""dlt source `kinesis`: email event records into `email_events`, everything else into `email_events_rejected`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import dlt
from dlt.common.configuration.specs import AwsCredentials
from dlt.common.schema.typing import TColumnSchema
from dlt.extract.resource import DltResource

from load.errors import LoadConfigError
from load.kinesis.client import kinesis_client
from load.kinesis.reader import Bounds, StreamReader
from load.kinesis.validation import Rejection, payload_text, validate_record

EVENTS_TABLE = "email_events"
REJECTED_TABLE = "email_events_rejected"
INITIAL_POSITIONS = ("TRIM_HORIZON", "LATEST", "AT_TIMESTAMP")


def _columns(**types: str) -> dict[str, TColumnSchema]:
    return {name: {"name": name, "data_type": data_type, "nullable": True} for name, data_type in types.items()}  # type: ignore[misc]


# Where each record came from; the key (shard_id, sequence_number) makes a replayed batch merge, not duplicate.
_RECORD_COLUMNS = _columns(
    shard_id="text", sequence_number="text", partition_key="text", approximate_arrival_at="timestamp"
)
# Declared in full so both tables exist, with stable types, even before their first row.
EVENT_COLUMNS = {
    **_columns(
        event_id="text",
        event_type="text",
        datetime_raw="text",
        event_at="timestamp",
        algorithms="json",
        user="bigint",
        layout="text",
        partner="text",
        subject="text",
        email_provider="text",
        device="text",
        os="text",
        bounce="bool",
        complaint="bool",
        extra_fields="text",
    ),
    **_RECORD_COLUMNS,
}
REJECTED_COLUMNS = {
    **_columns(payload="text", payload_is_base64="bool", reason="text", reason_detail="text"),
    **_RECORD_COLUMNS,
}


def record_row(record: dict[str, Any], shard_id: str) -> tuple[str, dict[str, Any]]:
    """The table a Kinesis record goes to and its row there."""
    data: bytes = record["Data"]
    origin = {
        "shard_id": shard_id,
        "sequence_number": record["SequenceNumber"],
        "partition_key": record.get("PartitionKey"),
        "approximate_arrival_at": record.get("ApproximateArrivalTimestamp"),
    }
    checked = validate_record(data)
    if not isinstance(checked, Rejection):
        return EVENTS_TABLE, {**checked, **origin}
    payload, is_base64 = payload_text(data)
    return REJECTED_TABLE, {
        "payload": payload,
        "payload_is_base64": is_base64,
        "reason": checked.reason,
        "reason_detail": checked.detail,
        **origin,
    }


def _to_table(table: str, rows: list[dict[str, Any]]) -> Any:
    columns = EVENT_COLUMNS if table == EVENTS_TABLE else REJECTED_COLUMNS
    # Parquet, not dlt's default INSERT statements for DuckDB: 15k records load in 0.3 s instead of 11 s,
    # with a seventh of the memory.
    hints = dlt.mark.make_hints(table_name=table, columns=columns, file_format="parquet")
    return dlt.mark.with_hints(rows, hints, create_table_variant=True)


def check_start(initial_position: str, initial_timestamp: str | None) -> None:
    if initial_position not in INITIAL_POSITIONS:
        raise LoadConfigError(f"sources.kinesis.initial_position must be one of {', '.join(INITIAL_POSITIONS)}")
    if initial_position == "AT_TIMESTAMP":
        try:
            datetime.fromisoformat(initial_timestamp or "")
        except ValueError:
            raise LoadConfigError(
                "sources.kinesis.initial_timestamp must be an ISO-8601 time with AT_TIMESTAMP"
            ) from None


def start_state(state: dict[str, Any], initial_position: str, initial_timestamp: str | None) -> None:
    """Record where never-read shards start. LATEST becomes "at the first run's time", so shards that stay
    empty in the first run are not read from their trim horizon later."""
    if initial_position == "AT_TIMESTAMP":
        state["start_timestamp"] = datetime.fromisoformat(initial_timestamp or "").isoformat()
    elif initial_position == "LATEST" and not state.get("positions") and not state.get("finished"):
        state.setdefault("start_timestamp", datetime.now(UTC).isoformat())


@dlt.resource(name="email_records", write_disposition="merge", primary_key=("shard_id", "sequence_number"))
def email_records(make_reader: Callable[[dict[str, Any]], StreamReader]) -> Iterator[Any]:
    # The state is taken at extract time, inside the resource: that is the dict dlt commits with the load.
    reader = make_reader(dlt.current.resource_state())
    for shard_id, records in reader.batches():
        by_table: dict[str, list[dict[str, Any]]] = {EVENTS_TABLE: [], REJECTED_TABLE: []}
        for record in records:
            table, row = record_row(record, shard_id)
            by_table[table].append(row)
        for table, rows in by_table.items():
            if rows:
                yield _to_table(table, rows)
    # Empty batches with the table hints create both tables on the first run, whatever the stream holds.
    for table in (EVENTS_TABLE, REJECTED_TABLE):
        yield _to_table(table, [])


@dlt.source(name="kinesis", max_table_nesting=0)
def kinesis(
    stream_name: str = dlt.config.value,
    credentials: AwsCredentials = dlt.secrets.value,
    initial_position: str = "TRIM_HORIZON",
    initial_timestamp: str | None = None,
    max_records: int | None = None,
    max_seconds: float | None = None,
    batch_limit: int = 10_000,
) -> DltResource:
    """Email event records of one Kinesis stream, read from each shard's last loaded sequence number."""
    check_start(initial_position, initial_timestamp)
    client = kinesis_client(credentials)
    bounds = Bounds(max_records=max_records, max_seconds=max_seconds)

    def make_reader(state: dict[str, Any]) -> StreamReader:
        start_state(state, initial_position, initial_timestamp)
        return StreamReader(client, stream_name, state, bounds=bounds, batch_limit=batch_limit)

    return email_records(make_reader)
