"""dlt source `kafka`: shop transaction messages into `transactions`, everything else into `transactions_rejected`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import dlt
import pyarrow as pa
from confluent_kafka import Message
from dlt.extract.resource import DltResource

from load.arrow_chunks import in_chunks
from load.gc_pause import garbage_collection_paused
from load.kafka.config import KafkaCredentials, make_config
from load.kafka.reader import TopicReader
from load.kafka.tables import COLUMNS, KEY, REJECTED_TABLE, SCHEMAS, TRANSACTIONS_TABLE, batch_tables
from load.raw_tables import with_hints

__all__ = ["REJECTED_TABLE", "RESOURCE", "TRANSACTIONS_TABLE", "kafka"]
RESOURCE = "shop_messages"


# Rows are merged on their key; a run reads each message once (TopicReader), so dlt need not deduplicate the staged
# rows first (a window over every row: most of the load's time).
@dlt.resource(
    name=RESOURCE,
    write_disposition={"disposition": "merge", "strategy": "delete-insert", "deduplicated": True},
    primary_key=KEY,
)
def shop_messages(make_reader: Callable[[dict[str, Any]], TopicReader]) -> Iterator[Any]:
    # The state is taken at extract time, inside the resource: that is the dict dlt commits with the load.
    reader = make_reader(dlt.current.resource_state())
    try:
        for table, rows in in_chunks(map(_tables, reader.batches())):
            yield with_hints(table, rows, COLUMNS[table])
    finally:
        # librdkafka's threads outlive an unclosed consumer: a long-lived process (a Dagster run worker) could
        # then hang at exit
        reader.consumer.close()
    # Empty tables with the hints create both tables on the first run, whatever the topics hold.
    for table, schema in SCHEMAS.items():
        yield with_hints(table, schema.empty_table(), COLUMNS[table])


def _tables(messages: list[Message]) -> dict[str, pa.Table]:
    with garbage_collection_paused():
        return batch_tables(messages)


@dlt.source(name="kafka", max_table_nesting=0)
def kafka(
    bootstrap_servers: str = dlt.config.value,
    topics: Any = None,
    credentials: KafkaCredentials | None = None,
    timeout_seconds: float = 10.0,
    batch_size: int = 10_000,
) -> DltResource:
    """Shop transaction messages of the Kafka `topics`, each partition read from its next offset in the dlt state
    up to its high watermark at the start of the run."""
    config = make_config(bootstrap_servers, topics, credentials, timeout_seconds)

    def make_reader(state: dict[str, Any]) -> TopicReader:
        consumer = config.consumer()
        return TopicReader(consumer, config, state, batch_size=batch_size)

    return shop_messages(make_reader)
