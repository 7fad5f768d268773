"""Hand-made email event records and private sources for the email tests."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from demo.kinesis_producer import create_stream
from load.kinesis.client import kinesis_client, stream_config
from local_mysql import private_database


def at_ms(day: date, hour: int, minute: int = 0) -> int:
    """The epoch milliseconds of a UTC time on `day`, as producers stamp `datetime`."""
    return int(datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC).timestamp() * 1000)


def send_body(event_id: str, customer: int, at: int, **fields: Any) -> dict[str, Any]:
    """A complete `sent` record at epoch milliseconds `at`; `fields` replace or add attributes."""
    return {
        "event_id": event_id,
        "event_type": "sent",
        "datetime": at,
        "algorithms": ["trends", "cross-sell"],
        "layout": "minimal-layout.html",
        "partner": "4999",
        "user": customer,
        "subject": "volte-sempre",
        "bounce": False,
        "complaint": False,
        "email_provider": "gmail.com",
    } | fields


@contextmanager
def private_sources(name: str, shards: int, workdir: Path) -> Iterator[tuple[str, str]]:
    """(stream, database): a new stream of `shards` shards and an empty MariaDB database the loader user may
    read, both named after `name`; removed afterwards, with `workdir`."""
    kinesis = kinesis_client(stream_config().credentials)
    stream = f"test-{name}-{uuid.uuid4().hex[:10]}"
    create_stream(kinesis, stream, shards)
    try:
        with private_database(f"cm_{name.replace('-', '_')}") as database:
            yield stream, database
    finally:
        kinesis.delete_stream(StreamName=stream, EnforceConsumerDeletion=True)
        shutil.rmtree(workdir, ignore_errors=True)
