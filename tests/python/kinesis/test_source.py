"""The start position of never-read shards (no server)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from load.errors import LoadConfigError
from load.kinesis.source import check_start, event_time_window, start_state


def test_latest_starts_never_read_shards_at_the_first_runs_time() -> None:
    state: dict[str, Any] = {}
    start_state(state, "LATEST", None)
    first = state["start_timestamp"]
    start_state(state, "LATEST", None)
    assert state["start_timestamp"] == first
    resumed: dict[str, Any] = {"positions": {"shardId-1": "1"}}
    start_state(resumed, "LATEST", None)
    assert "start_timestamp" not in resumed, "a stream read from TRIM_HORIZON keeps reading new shards from it"


def test_at_timestamp_and_bad_positions() -> None:
    state: dict[str, Any] = {}
    start_state(state, "AT_TIMESTAMP", "2024-05-01T00:00:00+00:00")
    assert state["start_timestamp"] == "2024-05-01T00:00:00+00:00"
    with pytest.raises(LoadConfigError, match="initial_position"):
        check_start("EARLIEST", None)
    with pytest.raises(LoadConfigError, match="initial_timestamp"):
        check_start("AT_TIMESTAMP", None)


def test_the_event_time_window_comes_from_two_positive_settings() -> None:
    window = event_time_window(max_event_age_days=2, max_event_ahead_hours=0.5)
    assert (window.max_age, window.max_ahead) == (timedelta(days=2), timedelta(minutes=30))
    for age, ahead in ((0, 1), (1, -1), ("30", 1), (float("nan"), 1)):
        with pytest.raises(LoadConfigError, match="must be a positive number"):
            event_time_window(age, ahead)  # type: ignore[arg-type]
