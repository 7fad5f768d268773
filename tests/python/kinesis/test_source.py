"""The start position of never-read shards and the event-time window (no server)."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from load.errors import LoadConfigError
from load.kinesis.source import check_batch_limit, check_start, event_time_window, start_state
from load.kinesis.validation import Rejection, validate_record
from load.local_services import REPO_ROOT


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


def test_the_batch_limit_is_what_get_records_accepts() -> None:
    for accepted in (1, 10_000):
        check_batch_limit(accepted)
    for refused in (0, 10_001, -5, "100", 2.5, True):
        with pytest.raises(LoadConfigError, match="batch_limit must be a whole number from 1 to 10,000"):
            check_batch_limit(refused)  # type: ignore[arg-type]


def test_the_repository_window_takes_the_demo_calendar_and_rejects_the_placeholders() -> None:
    settings = tomllib.loads((REPO_ROOT / ".dlt" / "config.toml").read_text())["sources"]["kinesis"]
    window = event_time_window(settings["max_event_age_days"], settings["max_event_ahead_hours"])
    now = datetime.now(UTC)

    def reason(value: object) -> str | None:
        record = json.dumps({"event_id": "e", "event_type": "sent", "datetime": value}).encode()
        checked = validate_record(record, now, window)
        return checked.reason if isinstance(checked, Rejection) else None

    assert reason("2003-01-06T08:00:00Z") is None, "the demo shop's first business day"
    for placeholder in (0, -1, "9999-12-31T23:59:59Z", 253_402_300_799):
        assert reason(placeholder) == "implausible_datetime", placeholder
