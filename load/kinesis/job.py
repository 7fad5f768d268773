"""`python -m load run kinesis`: each configured stream into its raw dataset (emails into `raw_email`, page views
into `raw_clickstream`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from dlt.extract.source import DltSource

from load.kinesis.client import check_stream, kinesis_client, stream_config, stream_configs
from load.kinesis.source import kinesis, record_kind
from load.kinesis.tables import EMAIL
from load.runner import RunResult, SourceJob


@dataclass
class RecordCount:
    """Records the source handed to dlt in the current run, counted apart from the loaded row counts."""

    records: int = 0

    def count(self, item: Any) -> Any:
        # The source yields an Arrow table per batch and destination table.
        self.records += item.num_rows if isinstance(item, pa.Table) else 1
        return item


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
        rows = {table.table: table.rows for table in result.tables}
        loaded, rejected = rows.get(kind.events_table, 0), rows.get(kind.rejected_table, 0)
        balance = "" if counter.records == loaded + rejected else "  MISMATCH"
        return [f"records read {counter.records} = loaded {loaded} + rejected {rejected}{balance}"]

    return SourceJob(
        name="kinesis",
        dataset=kind.dataset,
        identity=lambda: stream_config(records).identity(),
        build=build,
        report=report,
    )


def kinesis_jobs() -> list[SourceJob]:
    """A job per configured stream, the email stream first."""
    return [kinesis_job(config.records) for config in stream_configs()]
