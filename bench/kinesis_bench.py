"""Kinesis: events/s from the local server into raw_email, against the server's raw GetRecords rate."""

from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from bench.contenders import clean
from bench.figures import Figure
from bench.process import run_measured
from bench.settings import REPO_ROOT, VENV_PYTHON, WORK_DIR, base_env
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


def measure(stream: str, records: int, repeats: int) -> list[Figure]:
    """Raw reads and full loads of the whole stream, alternating, `repeats` times each."""
    raw = Figure("kinesis raw GetRecords|events_per_s", "events/s")
    ours = Figure("kinesis ours into raw_email|events_per_s", "events/s")
    rss = Figure("kinesis ours into raw_email|peak_rss", "MB")
    work = WORK_DIR / "kinesis"
    for _ in range(repeats):
        read = run_measured([str(VENV_PYTHON), "-m", "bench.kinesis_read", stream], env=base_env(), cwd=REPO_ROOT)
        assert int(read.stdout.strip()) == records, f"raw read {read.stdout.strip()} of {records} records"
        raw.samples.append(records / read.seconds)
        clean(work)
        warehouse = work / "warehouse.duckdb"
        command = [str(VENV_PYTHON), "-m", "load", "run", "kinesis"]
        run = run_measured(command, env=load_env(stream, warehouse), cwd=REPO_ROOT)
        assert _loaded(warehouse) == records, f"loaded {_loaded(warehouse)} of {records} records"
        ours.samples.append(records / run.seconds)
        rss.samples.append(run.peak_rss_mb)
        log.info("bench: kinesis raw %.0f events/s, ours %.0f events/s", raw.samples[-1], ours.samples[-1])
    clean(work)
    return [raw, ours, rss]


def _loaded(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return sum(
            connection.execute(f"SELECT COUNT(*) FROM raw_email.{table}").fetchone()[0]
            for table in ("email_events", "email_events_rejected")
        )
