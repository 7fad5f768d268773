"""Kinesis fixtures: a throwaway stream on the local server, named for the test and deleted afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from demo.kinesis_producer import create_stream
from load.kinesis.client import kinesis_client, stream_config

TEST_SHARDS = 3


@pytest.fixture
def kinesis() -> Any:
    return kinesis_client(stream_config().credentials)


@pytest.fixture
def stream(kinesis: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new stream with a few shards, exported as SOURCES__KINESIS__STREAM_NAME for loader and generator."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    create_stream(kinesis, name, TEST_SHARDS)
    monkeypatch.setenv("SOURCES__KINESIS__STREAM_NAME", name)
    yield name
    kinesis.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
