"""The demo's preflight refuses an unwritable WAREHOUSE_PATH or a lost stream position before it simulates a day."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from demo.kinesis_producer import create_stream
from demo.preflight import check_positions
from load.errors import LoadConfigError
from load.kinesis.client import StreamConfig, kinesis_client, stream_config
from load.local_services import REPO_ROOT


@pytest.mark.parametrize("warehouse", ["/dev/null/dw.duckdb", "/proc/dw.duckdb", "folder"])
def test_preflight_names_an_unwritable_warehouse_path(tmp_path: Path, warehouse: str) -> None:
    path = str(tmp_path) if warehouse == "folder" else warehouse
    result = subprocess.run(
        [sys.executable, "-m", "demo", "preflight"],
        cwd=REPO_ROOT,
        env={**os.environ, "WAREHOUSE_PATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "WAREHOUSE_PATH" in result.stderr


@pytest.mark.integration
def test_preflight_sees_a_recreated_empty_stream() -> None:
    """A restart that lost the streams recreates them empty; an empty shard accepts any iterator request, so the
    check compares the saved position with the new shard's first sequence number."""
    config = stream_config()
    client = kinesis_client(config.credentials)
    name = f"test-preflight-{uuid.uuid4().hex[:12]}"
    stream = StreamConfig(stream_name=name, credentials=config.credentials)
    create_stream(client, name, 1)
    try:
        put = client.put_record(StreamName=name, Data=b"{}", PartitionKey="p")
        positions = {put["ShardId"]: put["SequenceNumber"]}
        check_positions(client, stream, positions)
        client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
        _wait_gone(client, name)
        time.sleep(1.1)  # sequence numbers carry the shard's creation time
        create_stream(client, name, 1)
        with pytest.raises(LoadConfigError, match="older than the shard: the stream was recreated"):
            check_positions(client, stream, positions)
    finally:
        with contextlib.suppress(client.exceptions.ResourceNotFoundException):
            client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)


def _wait_gone(client: Any, name: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            client.describe_stream_summary(StreamName=name)
        except client.exceptions.ResourceNotFoundException:
            return
        time.sleep(0.2)
    raise AssertionError(f"stream {name} was not deleted")
