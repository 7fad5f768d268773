"""One asset per raw table the loaders write, materialized by the loader itself (`python -m load run SOURCE`).

Each source's tables are one multi-asset whose run is `load.runner.run_job`, the code `python -m load run` runs:
state restored from the warehouse, CDC follow-up loads, direct copies, the lake and the one-line errors all hold.
Upstream of each raw table is the source object it copies (a MySQL table, a Kinesis stream, a Kafka topic):
external assets, never run here.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    Backoff,
    Failure,
    Jitter,
    MaterializeResult,
    RetryPolicy,
    multi_asset,
)

from load.failures import as_config_error
from load.kafka.tables import REJECTED_TABLE as SHOP_REJECTED_TABLE
from load.kafka.tables import TRANSACTIONS_TABLE
from load.kinesis.client import stream_configs
from load.kinesis.job import kinesis_job
from load.kinesis.source import EVENTS_TABLE, REJECTED_TABLE
from load.kinesis.tables import CLICKSTREAM
from load.mysql.change_rows import CHANGES_TABLE
from load.mysql.strategy import TABLES
from load.registry import job_for
from load.runner import RunResult, SourceJob, print_summary, run_job

# Transient source errors (a server restarting, a network blip) get a few more tries, further and further apart;
# configuration errors never retry (see loader_failure).
LOADER_RETRIES = RetryPolicy(max_retries=3, delay=5, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS)
SOURCE_GROUP = "sources"
RAW_GROUP = "raw"


@dataclass(frozen=True)
class LoadedSource:
    """A loader source (a name of `python -m load run`) and the raw tables it writes."""

    name: str
    dataset: str
    tables: tuple[str, ...]
    # Upstream asset of each raw table: the source object it copies.
    upstream: dict[str, AssetKey]
    # Tables the loader also writes that nothing downstream reads (no asset), e.g. the CDC change log.
    logs: tuple[str, ...] = ()
    # The load of this source; default: the job `python -m load run <name>` runs.
    job: Callable[[], SourceJob] | None = field(default=None, compare=False)
    # False when the source is optional and not configured here: its assets materialize with nothing loaded.
    configured: Callable[[], bool] = field(default=lambda: True, compare=False)

    def raw_key(self, table: str) -> AssetKey:
        return AssetKey([self.dataset, table])


KINESIS_STREAM = AssetKey(["kinesis", "email_events_stream"])
CLICKSTREAM_STREAM = AssetKey(["kinesis", "clickstream_stream"])
KAFKA_TOPIC = AssetKey(["kafka", "shop_transactions_topic"])


def clickstream_configured() -> bool:
    """The clickstream is optional ([sources.kinesis.streams] clickstream): without it there is nothing to load."""
    return any(config.records == CLICKSTREAM.name for config in stream_configs())


LOADED_SOURCES = (
    LoadedSource(
        "mysql",
        "raw_classicmodels",
        TABLES,
        {table: AssetKey(["mysql", "classicmodels", table]) for table in TABLES},
        logs=(CHANGES_TABLE,),
    ),
    LoadedSource(
        "kinesis",
        "raw_email",
        (EVENTS_TABLE, REJECTED_TABLE),
        {EVENTS_TABLE: KINESIS_STREAM, REJECTED_TABLE: KINESIS_STREAM},
    ),
    LoadedSource(
        "clickstream",
        CLICKSTREAM.dataset,
        (CLICKSTREAM.events_table, CLICKSTREAM.rejected_table),
        {CLICKSTREAM.events_table: CLICKSTREAM_STREAM, CLICKSTREAM.rejected_table: CLICKSTREAM_STREAM},
        job=lambda: kinesis_job(CLICKSTREAM.name),
        configured=clickstream_configured,
    ),
    LoadedSource(
        "kafka",
        "raw_shop",
        (TRANSACTIONS_TABLE, SHOP_REJECTED_TABLE),
        {TRANSACTIONS_TABLE: KAFKA_TOPIC, SHOP_REJECTED_TABLE: KAFKA_TOPIC},
    ),
)


def source_object_specs() -> list[AssetSpec]:
    """The MySQL tables, the Kinesis streams and the Kafka topic, as external assets at the root of the graph."""
    keys = {key for source in LOADED_SOURCES for key in source.upstream.values()}
    return [
        AssetSpec(
            key, group_name=SOURCE_GROUP, kinds={source_kind(key)}, description=f"source object {key.to_string()}"
        )
        for key in sorted(keys, key=lambda key: key.to_string())
    ]


def source_kind(key: AssetKey) -> str:
    return key.path[0]


def loader_failure(error: Exception) -> Failure | None:
    """The run failure for a configuration error (the loader's exit-2 class): its one line, and no retry."""
    config_error = as_config_error(error)
    if config_error is None:
        return None
    return Failure(description=f"error: {config_error}", allow_retries=False)


def loader_asset(source: LoadedSource) -> AssetsDefinition:
    specs = [
        AssetSpec(
            source.raw_key(table),
            deps=[source.upstream[table]],
            group_name=RAW_GROUP,
            kinds={"dlt", "duckdb"},
            description=f"{source.dataset}.{table}, loaded by `python -m load run {source.name}`",
        )
        for table in source.tables
    ]

    @multi_asset(name=f"load_{source.name}", specs=specs, retry_policy=LOADER_RETRIES, pool="warehouse")
    def load_source(context: AssetExecutionContext) -> Iterator[MaterializeResult]:
        if not source.configured():
            context.log.info(f"{source.name} is not configured here: nothing to load")
            yield from materializations(source, RunResult(pipeline_name="", tables=[], seconds=0.0, load_info=None))
            return
        try:
            job = source.job() if source.job else job_for(source.name)
            if job.dataset != source.dataset:
                raise Failure(
                    f"{source.name} loads into {job.dataset}, its assets say {source.dataset}", allow_retries=False
                )
            result = run_job(job)
        except Exception as error:
            failure = loader_failure(error)
            if failure is None:
                raise
            context.log.error(failure.description)
            raise failure from error
        print_summary(job, result)  # the same lines as the command line, in the step's stdout
        yield from materializations(source, result)

    return load_source


def materializations(source: LoadedSource, result: RunResult) -> Iterator[MaterializeResult]:
    """One materialization per raw table, with the rows this run wrote (0: the table is current, nothing new)."""
    loaded = {summary.table: summary for summary in result.tables}
    unexpected = sorted(set(loaded) - set(source.tables) - set(source.logs))
    if unexpected:
        raise Failure(f"{source.name} loaded tables with no asset: {', '.join(unexpected)}", allow_retries=False)
    for table in source.tables:
        summary = loaded.get(table)
        yield MaterializeResult(
            asset_key=source.raw_key(table),
            metadata={
                "rows_loaded": summary.rows if summary else 0,
                "seconds": round(summary.seconds, 3) if summary else 0.0,
                "dlt_pipeline": result.pipeline_name,
            },
        )


def loader_assets() -> list[AssetsDefinition]:
    return [loader_asset(source) for source in LOADED_SOURCES]
