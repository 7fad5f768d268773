"""Clickstream: page views/s from the local server into raw_clickstream against the server's raw GetRecords rate
(same stream, same run), and event → mart latency of `python -m load run kinesis --follow S --build
clickstream_micro_batch` while views are put as they happen."""

from __future__ import annotations

import json
import logging
import signal
import statistics
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from bench import stream_bench
from bench.contenders import clean
from bench.figures import Figure
from bench.kinesis_bench import _create, delete_stream
from bench.process import run_measured
from bench.settings import REPO_ROOT, VENV_PYTHON, WORK_DIR, base_env
from bench.stream_bench import StreamBench
from demo.clicks import ClickGenerator, ClickPlan, put_as_they_happen, shop_catalog
from demo.kinesis_producer import put_entries
from load.kinesis.client import kinesis_client, stream_config

log = logging.getLogger("bench")

STREAM_PREFIX = "bench-clicks-"
SELECTOR = "clickstream_micro_batch"
# Seconds the follower gets after the last view was put: a load and a build at the most.
SETTLE_SECONDS = 45
STOP_SECONDS = 60


def measure(repeats: int, visits: int, shards: int, live_seconds: float, follow_seconds: float) -> list[Figure]:
    stamp = int(time.time())
    figures = _throughput(f"{STREAM_PREFIX}{stamp}", repeats, visits, shards)
    p50 = Figure(f"clickstream event to mart|p50 (follow {follow_seconds:g}s)", "s")
    p95 = Figure(f"clickstream event to mart|p95 (follow {follow_seconds:g}s)", "s")
    for repeat in range(repeats):
        latencies = _latencies(f"{STREAM_PREFIX}live-{stamp}-{repeat}", live_seconds, follow_seconds)
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        p50.samples.append(cuts[49])
        p95.samples.append(cuts[94])
        log.info("bench: clickstream event to mart p50 %.1f s, p95 %.1f s", cuts[49], cuts[94])
    return [*figures, p50, p95]


def _env(warehouse: Path | None, click_stream: str, email_stream: str) -> dict[str, str]:
    return {
        **base_env(),
        **({"WAREHOUSE_PATH": str(warehouse)} if warehouse else {}),
        "SOURCES__KINESIS__STREAM_NAME": email_stream,
        "SOURCES__KINESIS__STREAMS": json.dumps({"clickstream": click_stream}),
    }


CLICKSTREAM = StreamBench(
    source="clickstream",
    reference_module="bench.kinesis_read",
    reference_name="clickstream raw GetRecords",
    dataset="raw_clickstream",
    tables=("page_views", "page_views_rejected"),
    unit="events",
    # The clickstream's load alone: `python -m load run kinesis` would load the email stream too.
    load_arguments=("-m", "bench.clickstream_load"),
)


def _throughput(stream: str, repeats: int, visits: int, shards: int) -> list[Figure]:
    """Raw reads and loads of the whole stream, alternating, `repeats` times each."""
    client = kinesis_client(stream_config().credentials)
    _create(client, stream, shards)
    try:
        # The email stream setting must name a stream; the clickstream's load alone never reads it.
        env = _env(None, stream, stream)
        fixed = _fixed_costs(stream, repeats, env)
        plan = ClickPlan(end=datetime.now(UTC), minutes=120, visits=visits, shop=shop_catalog(1000), seed=7)
        entries = ClickGenerator(plan).entries()
        started = time.perf_counter()
        put_entries(client, stream, entries)
        seconds = time.perf_counter() - started
        log.info("bench: put %d click records on %d shards in %.0f s", len(entries), shards, seconds)
        figures = stream_bench.measure(CLICKSTREAM, stream, len(entries), repeats, env)
        for figure in figures:
            figure.note = f"{len(entries)} records on {shards} shards"
        for figure in fixed:
            figure.note = f"empty stream of {shards} shards"
        return [*figures, *fixed]
    finally:
        delete_stream(stream)


def _fixed_costs(stream: str, repeats: int, env: dict[str, str]) -> list[Figure]:
    """Seconds of the reference and of our load on the stream while still empty: what every run pays whatever the
    volume (start-up, listing and iterators; for the load also dlt's pipeline, state and commit), so the events/s
    above can be read as a fixed cost plus a per-record one."""
    raw = Figure(f"{CLICKSTREAM.reference_name}|empty_stream_s", "s")
    ours = Figure(f"clickstream ours into {CLICKSTREAM.dataset}|empty_stream_s", "s")
    work = WORK_DIR / "clickstream_empty"
    for _ in range(repeats):
        reference = [str(VENV_PYTHON), "-m", CLICKSTREAM.reference_module, stream]
        raw.samples.append(run_measured(reference, env=env, cwd=REPO_ROOT).seconds)
        clean(work)
        load_env = {**env, "WAREHOUSE_PATH": str(work / "warehouse.duckdb")}
        command = [str(VENV_PYTHON), *CLICKSTREAM.load_arguments]
        ours.samples.append(run_measured(command, env=load_env, cwd=REPO_ROOT).seconds)
    clean(work)
    log.info("bench: clickstream on an empty stream: reference %.2f s, ours %.2f s", raw.samples[-1], ours.samples[-1])
    return [raw, ours]


def _latencies(stream: str, live_seconds: float, follow_seconds: float) -> list[float]:
    """Seconds from each view's own time until a micro-batch build made it visible in the marts."""
    client = kinesis_client(stream_config().credentials)
    email_stream = f"{stream}-email"
    _create(client, stream, 2)
    _create(client, email_stream, 1)
    work = WORK_DIR / "clickstream_live"
    clean(work)
    warehouse = work / "warehouse.duckdb"
    command = [
        *(str(VENV_PYTHON), "-m", "load", "run", "kinesis"),
        *("--follow", str(follow_seconds), "--build", SELECTOR),
    ]
    follower = subprocess.Popen(
        command,
        env={**_env(warehouse, stream, email_stream), "PYTHONUNBUFFERED": "1"},  # build lines as they happen
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        # Interruptible even when the bench runs in the background (where the shell ignores SIGINT for its children).
        preexec_fn=_interruptible,
    )
    builds: list[datetime] = []
    reader = threading.Thread(target=_note_builds, args=(follower, builds), daemon=True)
    reader.start()
    try:
        plan = ClickPlan(
            end=datetime.now(UTC) + timedelta(seconds=live_seconds),
            minutes=max(1, round(live_seconds / 60)),
            visits=max(1, round(live_seconds)),
            shop=shop_catalog(1000),
            seed=11,
        )
        put_as_they_happen(client, stream, plan, every=1.0)
        time.sleep(SETTLE_SECONDS)
    finally:
        _stop(follower)
        reader.join(timeout=5)
        delete_stream(stream)
        delete_stream(email_stream)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        views = connection.execute("SELECT viewed_at, loaded_at FROM marts.fct_page_views").fetchall()
    clean(work)
    assert views, "no page view reached the marts"
    return [_seconds_to_mart(viewed_at, loaded_at, builds) for viewed_at, loaded_at in views]


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stop(follower: subprocess.Popen[str]) -> None:
    """Stop the follower we started as a user would (Ctrl-C); killed if it has not stopped in STOP_SECONDS."""
    follower.send_signal(signal.SIGINT)
    try:
        follower.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        follower.kill()
        follower.wait()


def _note_builds(follower: subprocess.Popen[str], builds: list[datetime]) -> None:
    """When each micro-batch build finished (the follower prints a line as it does)."""
    assert follower.stdout is not None
    for line in follower.stdout:
        if line.startswith("dbt: built selector"):
            builds.append(datetime.now(UTC).replace(tzinfo=None))


def _seconds_to_mart(viewed_at: datetime, loaded_at: datetime, builds: list[datetime]) -> float:
    # Loads and builds take turns in one process: a view loaded at `loaded_at` is in the marts once the first
    # build after that load has finished.
    visible_at = min(build for build in builds if build > loaded_at)
    return (visible_at - viewed_at).total_seconds()
