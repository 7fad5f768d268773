"""`python -m load reset kinesis` after the stream lost the warehouse's positions: the warehouse keeps its data."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from demo.kinesis_producer import create_stream, wait_active
from load.kinesis.client import kinesis_client, stream_config
from load.local_services import REPO_ROOT

pytestmark = pytest.mark.integration

EMAILS = "40"


@pytest.fixture
def stream_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    stream = f"test-reset-{uuid.uuid4().hex[:8]}"
    client = kinesis_client(stream_config().credentials)
    create_stream(client, stream, 1)
    yield {
        **os.environ,
        "SOURCES__KINESIS__STREAM_NAME": stream,
        "WAREHOUSE_PATH": str(tmp_path / "warehouse" / "commerce_dw.duckdb"),
    }
    client.delete_stream(StreamName=stream, EnforceConsumerDeletion=True)


def python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def put_emails(env: dict[str, str], day: str) -> None:
    result = python(env, "-m", "demo", "emails", "--customers", "20", "--emails", EMAILS, "--day", day)
    assert result.returncode == 0, result.stderr[-2000:]


def loaded_rows(env: dict[str, str]) -> int:
    with duckdb.connect(env["WAREHOUSE_PATH"], read_only=True) as warehouse:
        (count,) = warehouse.execute("select count(*) from raw_email.email_events").fetchone()
    return int(count)


def test_reset_kinesis_resumes_a_recreated_stream_and_keeps_the_warehouse(stream_env: dict[str, str]) -> None:
    put_emails(stream_env, "2026-01-05")
    assert python(stream_env, "-m", "load", "run", "kinesis").returncode == 0
    before = loaded_rows(stream_env)
    assert before > 0

    # The stream is recreated (a local server that lost its data): the saved positions are gone from it.
    client = kinesis_client(stream_config().credentials)
    name = stream_env["SOURCES__KINESIS__STREAM_NAME"]
    client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
    client.get_waiter("stream_not_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.5})
    create_stream(client, name, 1)
    put_emails(stream_env, "2026-01-06")

    preflight = python(stream_env, "-m", "demo", "preflight")
    assert preflight.returncode == 2
    assert "python -m load reset kinesis" in preflight.stderr.strip().splitlines()[-1]
    lost = python(stream_env, "-m", "load", "run", "kinesis")
    assert lost.returncode == 2
    assert "python -m load reset kinesis" in lost.stderr.strip().splitlines()[-1]

    reset = python(stream_env, "-m", "load", "reset", "kinesis")
    assert reset.returncode == 0, reset.stderr[-2000:]
    assert "forgot the read positions" in reset.stdout
    assert loaded_rows(stream_env) == before

    assert python(stream_env, "-m", "demo", "preflight").returncode == 0
    rerun = python(stream_env, "-m", "load", "run", "kinesis")
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert loaded_rows(stream_env) > before

    again = python(stream_env, "-m", "load", "reset", "kinesis")
    assert again.returncode == 0
    assert "forgot the read positions" in again.stdout


def test_a_recreated_stream_is_not_skipped_where_the_old_one_was_split(stream_env: dict[str, str]) -> None:
    """After a split, the old stream's first shard is read to its end; a stream created again under the name starts
    at that shard id, open: the loader stops with the reset line instead of skipping the new shard for good."""
    put_emails(stream_env, "2026-01-05")
    assert python(stream_env, "-m", "load", "run", "kinesis").returncode == 0
    client = kinesis_client(stream_config().credentials)
    name = stream_env["SOURCES__KINESIS__STREAM_NAME"]
    (shard,) = client.list_shards(StreamName=name)["Shards"]
    client.split_shard(StreamName=name, ShardToSplit=shard["ShardId"], NewStartingHashKey=str(2**127))
    wait_active(client, name)
    put_emails(stream_env, "2026-01-06")
    assert python(stream_env, "-m", "load", "run", "kinesis").returncode == 0
    before = loaded_rows(stream_env)

    client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
    client.get_waiter("stream_not_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.5})
    create_stream(client, name, 1)
    put_emails(stream_env, "2026-01-07")
    for command in (("-m", "load", "run", "kinesis"), ("-m", "demo", "preflight")):
        stopped = python(stream_env, *command)
        assert stopped.returncode == 2, stopped.stderr[-2000:]
        assert "the stream was recreated" in stopped.stderr and "python -m load reset kinesis" in stopped.stderr
    assert python(stream_env, "-m", "load", "reset", "kinesis").returncode == 0
    assert python(stream_env, "-m", "load", "run", "kinesis").returncode == 0
    assert loaded_rows(stream_env) > before


def test_reset_mysql_names_the_resnapshot(stream_env: dict[str, str]) -> None:
    result = python(stream_env, "-m", "load", "reset", "mysql")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].endswith("`python -m load run mysql --resnapshot`")


def test_reset_waits_for_the_warehouse_writer_and_leaves_its_working_folder_alone(tmp_path: Path) -> None:
    """A reset beside a running loader would set up dlt's working folder under it: it takes the writer lock first."""
    from load.config import PIPELINES_FOLDER, pipeline_name
    from load.kafka.job import kafka_job
    from load.warehouse_access import exclusive_writer

    warehouse = tmp_path / "warehouse" / "commerce_dw.duckdb"
    warehouse.parent.mkdir()
    duckdb.connect(str(warehouse)).close()
    job = kafka_job()
    working_folder = warehouse.parent / PIPELINES_FOLDER / pipeline_name(job.name, job.identity())
    package = working_folder / "normalize" / "extracted" / "rows.parquet"
    package.parent.mkdir(parents=True)
    package.write_bytes(b"rows being loaded")
    env = {**os.environ, "WAREHOUSE_PATH": str(warehouse), "WAREHOUSE_LOCK_WAIT_SECONDS": "0"}
    with exclusive_writer(warehouse, "kafka loader"):
        refused = python(env, "-m", "load", "reset", "kafka")
    assert refused.returncode == 2, refused.stderr[-2000:]
    assert "another writer (kafka loader" in refused.stderr.strip().splitlines()[-1]
    assert package.read_bytes() == b"rows being loaded"
