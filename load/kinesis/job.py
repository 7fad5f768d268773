"""`python -m load run kinesis`: the email event stream into `raw_email`."""

from __future__ import annotations

from typing import Any

from dlt.extract.source import DltSource

from load.kinesis.client import check_stream, kinesis_client, stream_config
from load.kinesis.source import EVENTS_TABLE, REJECTED_TABLE, kinesis
from load.raw_tables import RecordCount
from load.runner import RunResult, SourceJob


def kinesis_job() -> SourceJob:
    counter = RecordCount()

    def build(_state: dict[str, Any]) -> DltSource:
        # Positions come from the resource state dlt restores itself; the runner's copy is not needed.
        config = stream_config()
        check_stream(kinesis_client(config.credentials), config)
        counter.records = 0
        source = kinesis(stream_name=config.stream_name, credentials=config.credentials)
        source.resources["email_records"].add_map(counter.count)
        return source

    def report(result: RunResult) -> list[str]:
        return counter.balance(result, EVENTS_TABLE, REJECTED_TABLE, "records")

    return SourceJob(
        name="kinesis",
        dataset="raw_email",
        identity=lambda: stream_config().identity(),
        build=build,
        report=report,
        positions=shard_positions,
    )


def shard_positions(source_state: dict[str, Any]) -> dict[str, Any]:
    """The last sequence number loaded from each shard, and the shards read to their end."""
    state = source_state.get("resources", {}).get("email_records", {})
    return {"shards": dict(state.get("positions", {})), "finished_shards": list(state.get("finished", []))}
