"""`python -m load run kinesis`: the email event stream into `raw_email`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from dlt.extract.source import DltSource

from load.kinesis.client import check_stream, kinesis_client, stream_config
from load.kinesis.source import EVENTS_TABLE, REJECTED_TABLE, kinesis
from load.runner import RunResult, SourceJob


@dataclass
class RecordCount:
    """Records the source handed to dlt in the current run, counted apart from the loaded row counts."""

    records: int = 0

    def count(self, item: Any) -> Any:
        # The source yields an Arrow table per batch and destination table.
        self.records += item.num_rows if isinstance(item, pa.Table) else 1
        return item


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
        rows = {table.table: table.rows for table in result.tables}
        loaded, rejected = rows.get(EVENTS_TABLE, 0), rows.get(REJECTED_TABLE, 0)
        balance = "" if counter.records == loaded + rejected else "  MISMATCH"
        return [f"records read {counter.records} = loaded {loaded} + rejected {rejected}{balance}"]

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
