"""Kinesis: events/s from the local server into raw_email, against the server's raw GetRecords rate."""

from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench import stream_bench
from bench.figures import Figure
from bench.settings import base_env
from bench.stream_bench import StreamBench
from demo.emails import TrafficGenerator, TrafficPlan
from demo.kinesis_producer import put_entries, wait_active
from load.kinesis.client import kinesis_client, stream_config

log = logging.getLogger("bench")


def fill_stream(stream: str, shards: int, emails: int, customers: list[int], day: date) -> tuple[int, float]:
    """A new stream with a day of email traffic for `emails` emails; (records put, seconds putting)."""
    client = kinesis_client(stream_config().credentials)
    _create(client, stream, shards)  # a fresh name: no DeleteStream first (kinesis-local then drops the new one)
    entries = TrafficGenerator(TrafficPlan(day=day, emails=emails, customers=customers, seed=7)).entries()
    started = time.perf_counter()
    put_entries(client, stream, entries)
    return len(entries), time.perf_counter() - started


def _create(client: Any, stream: str, shards: int) -> None:
    """kinesis-local registers a new stream a moment after CreateStream returns: wait for it, then ACTIVE."""
    client.create_stream(StreamName=stream, ShardCount=shards)
    deadline = time.monotonic() + 60
    while True:
        try:
            wait_active(client, stream)
            return
        except client.exceptions.ResourceNotFoundException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def delete_stream(stream: str) -> None:
    client = kinesis_client(stream_config().credentials)
    try:
        client.delete_stream(StreamName=stream, EnforceConsumerDeletion=True)
    except client.exceptions.ResourceNotFoundException:
        return
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            client.describe_stream_summary(StreamName=stream)
        except client.exceptions.ResourceNotFoundException:
            return
        time.sleep(0.2)


def load_env(stream: str, warehouse: Path) -> dict[str, str]:
    return {**base_env(), "SOURCES__KINESIS__STREAM_NAME": stream, "WAREHOUSE_PATH": str(warehouse)}


KINESIS = StreamBench(
    source="kinesis",
    reference_module="bench.kinesis_read",
    reference_name="kinesis raw GetRecords",
    dataset="raw_email",
    tables=("email_events", "email_events_rejected"),
    unit="events",
)


def measure(stream: str, records: int, repeats: int) -> list[Figure]:
    """Raw reads and full loads of the whole stream, alternating, `repeats` times each."""
    env = {**base_env(), "SOURCES__KINESIS__STREAM_NAME": stream}
    return stream_bench.measure(KINESIS, stream, records, repeats, env)
