"""dlt source `kinesis`: a stream's valid records into their table (`email_events`, `page_views`), everything else
into its rejects table (`email_events_rejected`, `page_views_rejected`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import dlt
from dlt.common.configuration.specs import AwsCredentials
from dlt.extract.resource import DltResource

from load.errors import LoadConfigError
from load.kinesis.client import kinesis_client
from load.kinesis.reader import DEFAULT_THREADS, Bounds, StreamReader
from load.kinesis.tables import EMAIL, EVENTS_TABLE, RECORD_KINDS, REJECTED_TABLE, RecordKind, batch_tables
from load.kinesis.validation import EventTimeWindow
from load.raw_tables import with_hints

__all__ = [
    "EVENTS_TABLE",
    "REJECTED_TABLE",
    "check_start",
    "event_time_window",
    "kinesis",
    "record_kind",
    "start_state",
]

INITIAL_POSITIONS = ("TRIM_HORIZON", "LATEST", "AT_TIMESTAMP")


def record_kind(name: str) -> RecordKind:
    if name not in RECORD_KINDS:
        raise LoadConfigError(f"unknown Kinesis record kind {name!r}: choose from {', '.join(RECORD_KINDS)}")
    return RECORD_KINDS[name]


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


MAX_BATCH_LIMIT = 10_000  # records per GetRecords call that Kinesis allows


def check_batch_limit(batch_limit: int) -> None:
    if isinstance(batch_limit, bool) or not isinstance(batch_limit, int) or not 1 <= batch_limit <= MAX_BATCH_LIMIT:
        raise LoadConfigError(
            f"sources.kinesis.batch_limit must be a whole number from 1 to {MAX_BATCH_LIMIT:,}, not {batch_limit!r}"
        )


def event_time_window(max_event_age_days: float, max_event_ahead_hours: float) -> EventTimeWindow:
    """The plausible event times around a record's arrival, from the two settings (both must be positive)."""
    for name, value in (("max_event_age_days", max_event_age_days), ("max_event_ahead_hours", max_event_ahead_hours)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1_000_000:
            raise LoadConfigError(f"sources.kinesis.{name} must be a positive number, not {value!r}")
    return EventTimeWindow(max_age=timedelta(days=max_event_age_days), max_ahead=timedelta(hours=max_event_ahead_hours))


def start_state(state: dict[str, Any], initial_position: str, initial_timestamp: str | None) -> None:
    """Record where never-read shards start. LATEST becomes "at the first run's time", so shards that stay
    empty in the first run are not read from their trim horizon later."""
    if initial_position == "AT_TIMESTAMP":
        state["start_timestamp"] = datetime.fromisoformat(initial_timestamp or "").isoformat()
    elif initial_position == "LATEST" and not state.get("positions") and not state.get("finished"):
        state.setdefault("start_timestamp", datetime.now(UTC).isoformat())


def _stream_records(
    make_reader: Callable[[dict[str, Any]], StreamReader], window: EventTimeWindow, kind: RecordKind
) -> Iterator[Any]:
    # The state is taken at extract time, inside the resource: that is the dict dlt commits with the load.
    reader = make_reader(dlt.current.resource_state())
    for shard_id, records in reader.batches():
        for table, rows in batch_tables(records, shard_id, window, kind).items():
            yield with_hints(table, rows, kind.columns[table])
    # Empty tables with the hints create both tables on the first run, whatever the stream holds.
    for table, schema in kind.schemas.items():
        yield with_hints(table, schema.empty_table(), kind.columns[table])


def stream_records(
    make_reader: Callable[[dict[str, Any]], StreamReader], window: EventTimeWindow, kind: RecordKind = EMAIL
) -> DltResource:
    """The stream's records as a resource named after their kind: its state holds this stream's positions only."""
    resource = dlt.resource(
        _stream_records, name=kind.resource, write_disposition="merge", primary_key=("shard_id", "sequence_number")
    )
    return resource(make_reader, window, kind)


@dlt.source(name="kinesis", max_table_nesting=0)
def kinesis(
    stream_name: str = dlt.config.value,
    credentials: AwsCredentials = dlt.secrets.value,
    initial_position: str = "TRIM_HORIZON",
    initial_timestamp: str | None = None,
    max_records: int | None = None,
    max_seconds: float | None = None,
    batch_limit: int = 10_000,
    read_threads: int = DEFAULT_THREADS,
    max_event_age_days: float = 30,
    max_event_ahead_hours: float = 24,
    records: str = EMAIL.name,
) -> DltResource:
    """The records of one Kinesis stream (`records`: their kind, email or clickstream), read from each shard's last
    loaded sequence number. An event stamped more than `max_event_age_days` before its arrival, or
    `max_event_ahead_hours` after, is rejected."""
    kind = record_kind(records)
    check_start(initial_position, initial_timestamp)
    check_batch_limit(batch_limit)
    window = event_time_window(max_event_age_days, max_event_ahead_hours)
    client = kinesis_client(credentials, connections=read_threads)
    bounds = Bounds(max_records=max_records, max_seconds=max_seconds)

    def make_reader(state: dict[str, Any]) -> StreamReader:
        start_state(state, initial_position, initial_timestamp)
        return StreamReader(client, stream_name, state, bounds=bounds, batch_limit=batch_limit, threads=read_threads)

    return stream_records(make_reader, window, kind)
