"""Kafka fixtures: a throwaway topic on the local broker (`make services-up`), deleted afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from demo.kafka_topics import create_topic, delete_topic

TEST_PARTITIONS = 3


@pytest.fixture
def topic(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new topic with a few partitions, exported as SOURCES__KAFKA__TOPICS for the loader."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    create_topic(name, TEST_PARTITIONS)
    monkeypatch.setenv("SOURCES__KAFKA__TOPICS", name)
    yield name
    delete_topic(name)
