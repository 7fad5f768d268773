"""`python -m demo preflight`: what the demo can check before it simulates a day.

A day simulated and then not loaded makes the next run load two, so scripts/demo.sh checks first that the load can
run: the warehouse is not open in another process, both MariaDB accounts connect, the stream exists, and every
shard position or topic offset the warehouse resumes from is still there. Each problem is one line naming the fix.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
from dlt.common.versioned_state import decompress_state

from demo.mysql_admin import admin_url
from demo.mysql_admin import connect as admin_connect
from load.config import pipeline_name, warehouse_path
from load.errors import LoadConfigError
from load.mysql.job import configured_url
from load.mysql.preflight import connect as loader_connect
from load.mysql.preflight import parse_credentials
from load.warehouse_access import check_openable, writable_warehouse

if TYPE_CHECKING:
    from load.kinesis.client import StreamConfig

KINESIS_RESET = "python -m load reset kinesis"
STREAM_DATASET = "raw_email"
KINESIS_RESOURCE = "email_records"


def check_warehouse(warehouse: Path) -> None:
    """The loaders need the warehouse to themselves, in a writable folder: opening it fails while anyone holds it."""
    writable_warehouse(warehouse)
    if not warehouse.is_file():
        return
    try:
        check_openable(warehouse)
    except duckdb.Error as error:  # one the loaders have no wording for: still one line here
        raise LoadConfigError(f"cannot open the warehouse {warehouse}: {error}") from None


def check_mysql() -> None:
    """The loader's and the demo admin's accounts both connect."""
    loader_connect(parse_credentials(configured_url())).close()
    admin_connect(admin_url(None)).close()


def saved_shards(warehouse: Path, config: StreamConfig) -> tuple[dict[str, str], list[str]]:
    """Shard → last sequence number loaded, and the shards read to their end, from the newest state committed with
    a completed load."""
    resource = saved_resource_state(warehouse, "kinesis", config.identity(), STREAM_DATASET, KINESIS_RESOURCE)
    return dict(resource.get("positions", {})), list(resource.get("finished", []))


def saved_resource_state(warehouse: Path, source: str, identity: str, dataset: str, resource: str) -> dict[str, Any]:
    """The dlt state of a source's resource, from the newest state committed with a completed load."""
    if not warehouse.is_file():
        return {}
    name = pipeline_name(source, identity)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables where table_schema = ?", [dataset]
        ).fetchall()
        if ("_dlt_pipeline_state",) not in tables or ("_dlt_loads",) not in tables:
            return {}
        row = connection.execute(
            f"""select state.state from {dataset}._dlt_pipeline_state as state
                inner join {dataset}._dlt_loads as loads on state._dlt_load_id = loads.load_id
                where state.pipeline_name = ? and loads.status = 0
                order by state.created_at desc limit 1""",
            [name],
        ).fetchone()
    if row is None:
        return {}
    state: dict[str, Any] = decompress_state(row[0])
    return dict(state.get("sources", {}).get(source, {}).get("resources", {}).get(resource, {}))


def check_positions(client: Any, config: StreamConfig, positions: dict[str, str], finished: Sequence[str] = ()) -> None:
    """The listed shards are those the warehouse resumes from (the loader's own check: not a recreated stream), and
    each still holds the record the next run resumes after (a shard no longer listed has aged out of retention: the
    loader forgets it)."""
    from botocore.exceptions import ClientError  # the Kinesis checks only: `python -m demo create` runs without it

    from load.kinesis.client import error_code
    from load.kinesis.shards import recreated_shard, recreated_stream_error, shard_from_listing

    # An empty recreated shard accepts any iterator request: the listing tells it from the one the state describes.
    shards = [shard_from_listing(item) for item in _shards(client, config.stream_name)]
    recreated = recreated_shard(shards, set(finished), positions)
    if recreated is not None:
        raise recreated_stream_error(config.identity(), *recreated)
    listed = {shard.shard_id for shard in shards}
    for shard_id, sequence_number in sorted(positions.items()):
        if shard_id not in listed:
            continue
        try:
            client.get_shard_iterator(
                StreamName=config.stream_name,
                ShardId=shard_id,
                ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                StartingSequenceNumber=sequence_number,
            )
        except ClientError as error:
            raise _lost_position(config, shard_id, error_code(error)) from None


def _lost_position(config: StreamConfig, shard_id: str, why: str | None) -> LoadConfigError:
    return LoadConfigError(
        f"Kinesis shard {shard_id} of {config.identity()} no longer has the sequence number the warehouse "
        f"resumes from ({why}: the stream was recreated or the records expired): `{KINESIS_RESET}` reads "
        "the stream from its start again and keeps the warehouse"
    )


def _shards(client: Any, stream_name: str) -> list[dict[str, Any]]:
    shards: list[dict[str, Any]] = []
    page = client.list_shards(StreamName=stream_name)
    shards.extend(page["Shards"])
    while page.get("NextToken"):
        page = client.list_shards(NextToken=page["NextToken"])
        shards.extend(page["Shards"])
    return shards


def check_kinesis(warehouse: Path) -> None:
    from load.kinesis.client import check_stream, kinesis_client, stream_config

    config = stream_config()
    client = kinesis_client(config.credentials)
    check_stream(client, config)
    check_positions(client, config, *saved_shards(warehouse, config))


def check_kafka(warehouse: Path) -> None:
    """The broker answers, the topics exist, and every offset the warehouse resumes from is still in the log."""
    from load.kafka.config import kafka_config
    from load.kafka.job import check_topics

    config = kafka_config()
    check_topics(saved_resource_state(warehouse, "kafka", config.identity(), "raw_shop", "shop_messages"))


def preflight() -> str:
    warehouse = warehouse_path()
    check_warehouse(warehouse)
    check_mysql()
    check_kinesis(warehouse)
    check_kafka(warehouse)
    return (
        f"preflight: warehouse {warehouse} free, MariaDB, Kinesis and Kafka reachable, stream positions and topic "
        "offsets valid"
    )


def _preflight(_args: argparse.Namespace) -> None:
    print(preflight())


def add_commands(subparsers: Any) -> None:
    """Register `preflight` on the `python -m demo` subcommands."""
    command = subparsers.add_parser("preflight", help="check the warehouse and both sources before simulating a day")
    command.set_defaults(handler=_preflight)
