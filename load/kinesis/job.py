"""`python -m load run kinesis`: each configured stream into its raw dataset (emails into `raw_email`, page views
into `raw_clickstream`)."""

from __future__ import annotations

from typing import Any

from dlt.extract.source import DltSource

from load.kinesis.client import check_stream, kinesis_client, stream_config, stream_configs
from load.kinesis.source import kinesis, record_kind
from load.kinesis.tables import EMAIL, RecordKind
from load.raw_tables import RecordCount
from load.runner import RunResult, SourceJob


def kinesis_job(records: str = EMAIL.name) -> SourceJob:
    """The load of the stream of `records` (email or clickstream) into its raw dataset. Each stream is its own
    pipeline (named after the endpoint and stream), so no state, position or table is shared between streams."""
    kind = record_kind(records)
    counter = RecordCount()

    def build(_state: dict[str, Any]) -> DltSource:
        # Positions come from the resource state dlt restores itself; the runner's copy is not needed.
        config = stream_config(records)
        check_stream(kinesis_client(config.credentials), config)
        counter.records = 0
        source = kinesis(stream_name=config.stream_name, credentials=config.credentials, records=records)
        source.resources[kind.resource].add_map(counter.count)
        return source

    def report(result: RunResult) -> list[str]:
        return counter.balance(result, kind.events_table, kind.rejected_table, "records")

    return SourceJob(
        name="kinesis",
        dataset=kind.dataset,
        identity=lambda: stream_config(records).identity(),
        build=build,
        report=report,
        positions=lambda source_state: shard_positions(source_state, kind),
    )


def kinesis_jobs() -> list[SourceJob]:
    """A job per configured stream, the email stream first."""
    return [kinesis_job(config.records) for config in stream_configs()]


def shard_positions(source_state: dict[str, Any], kind: RecordKind = EMAIL) -> dict[str, Any]:
    """The last sequence number loaded from each shard of the stream, and the shards read to their end."""
    state = source_state.get("resources", {}).get(kind.resource, {})
    return {"shards": dict(state.get("positions", {})), "finished_shards": list(state.get("finished", []))}
