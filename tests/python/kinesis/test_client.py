"""Arrival times as the client parses them (no server)."""

from __future__ import annotations

from datetime import UTC, datetime

from load.kinesis.client import utc_timestamp


def test_epoch_and_text_times_become_utc() -> None:
    expected = datetime(2024, 5, 17, 12, 0, 0, 250000, tzinfo=UTC)
    assert utc_timestamp(1715947200.25) == expected
    assert utc_timestamp(1715947200) == expected.replace(microsecond=0)
    assert utc_timestamp("2024-05-17T14:00:00.25+02:00") == expected
    assert utc_timestamp(1715947200.25).tzinfo is UTC
