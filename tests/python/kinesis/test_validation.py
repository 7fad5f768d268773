"""Validation rules of one email event record (pure)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import yaml

from load.kinesis.validation import (
    REASONS,
    EventTimeWindow,
    Rejection,
    parse_event_datetime,
    payload_text,
    validate_record,
)
from load.local_services import REPO_ROOT

SENT: dict[str, Any] = {
    "event_id": "2145d4b3-d2be-4659-a0dd-f063da79034a",
    "event_type": "sent",
    "datetime": 1_700_000_000,
    "algorithms": ["trends", "abandoned-cart"],
    "layout": "material-design-layout.html",
    "partner": "4999",
    "user": 1,
    "subject": "abandonado-com-ofertas",
    "bounce": False,
    "complaint": False,
    "email_provider": "hotmail.com",
}


# SENT's time is 2023-11-14 22:13:20 UTC; it arrived on the stream a little later.
ARRIVAL = datetime(2023, 11, 15, tzinfo=UTC)
WINDOW = EventTimeWindow(max_age=timedelta(days=30), max_ahead=timedelta(hours=24))


def _check(payload: bytes, arrived_at: datetime = ARRIVAL) -> dict[str, Any] | Rejection:
    return validate_record(payload, arrived_at, WINDOW)


def _validate(document: Any) -> dict[str, Any] | Rejection:
    return _check(json.dumps(document).encode())


def _reason(document: Any) -> str:
    result = _validate(document)
    assert isinstance(result, Rejection), result
    return result.reason


def test_sample_events_in_epoch_seconds_are_valid() -> None:
    sample = json.dumps({**SENT, "datetime": 14567898765}).encode()
    opened = {"event_id": SENT["event_id"], "event_type": "opened", "datetime": 14567909765, "device": "desktop"}
    arrival = datetime(2431, 8, 23, tzinfo=UTC)  # the samples' epoch seconds are in the year 2431
    assert not isinstance(_check(sample, arrival), Rejection)
    columns = _check(json.dumps({**opened, "os": "mac os"}).encode(), arrival)
    assert isinstance(columns, dict)
    assert columns["device"] == "desktop"
    assert columns["user"] is None


def test_valid_event_columns() -> None:
    columns = _validate(SENT)
    assert isinstance(columns, dict)
    assert columns["event_at"] == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert columns["datetime_raw"] == "1700000000"
    assert columns["algorithms"] == ["trends", "abandoned-cart"]
    assert columns["extra_fields"] is None


def test_unknown_fields_are_kept_not_rejected() -> None:
    columns = _validate({**SENT, "campaign": {"id": 7}, "ab_variant": "b"})
    assert isinstance(columns, dict)
    assert json.loads(columns["extra_fields"]) == {"campaign": {"id": 7}, "ab_variant": "b"}


def test_values_the_warehouse_cannot_hold_are_handled() -> None:
    wide = _check(
        b'{"event_id": "e", "event_type": "sent", "datetime": 1700000000, "trace": 123456789012345678901234567890}'
    )
    assert isinstance(wide, dict)
    assert json.loads(wide["extra_fields"]) == {"trace": 123456789012345678901234567890}
    assert _reason({**SENT, "user": 2**64}) == "wrong_type"
    for payload in (b'{"event_id": "e", "event_type": "sent", "datetime": NaN}', b'{"event_id": "\\ud800", "x": 1}'):
        rejected = _check(payload)
        assert isinstance(rejected, Rejection)
        assert rejected.reason == "invalid_json", payload
    paired = _check(b'{"event_id": "e", "event_type": "sent", "datetime": 1700000000, "subject": "\\ud83d\\ude00"}')
    assert isinstance(paired, dict)
    assert paired["subject"] == "\U0001f600"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_700_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (1_700_000_000_123, datetime(2023, 11, 14, 22, 13, 20, 123_000, tzinfo=UTC)),
        (1_700_000_000_123_456, datetime(2023, 11, 14, 22, 13, 20, 123_456, tzinfo=UTC)),
        (1_700_000_000.5, datetime(2023, 11, 14, 22, 13, 20, 500_000, tzinfo=UTC)),
        ("2023-11-14T22:13:20.123Z", datetime(2023, 11, 14, 22, 13, 20, 123_000, tzinfo=UTC)),
        ("2023-11-14T19:13:20-03:00", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        ("2023-11-14 22:13:20", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
    ],
)
def test_datetime_units_by_magnitude_and_iso(value: Any, expected: datetime) -> None:
    assert parse_event_datetime(value) == expected


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ([SENT], "not_an_object"),
        ("sent", "not_an_object"),
        ({k: v for k, v in SENT.items() if k != "event_id"}, "missing_event_id"),
        ({**SENT, "event_id": ""}, "missing_event_id"),
        ({**SENT, "event_id": 42}, "wrong_type"),
        ({k: v for k, v in SENT.items() if k != "event_type"}, "missing_event_type"),
        ({**SENT, "event_type": "delivered"}, "unknown_event_type"),
        ({**SENT, "event_type": "SENT"}, "unknown_event_type"),
        ({k: v for k, v in SENT.items() if k != "datetime"}, "missing_datetime"),
        ({**SENT, "datetime": "yesterday"}, "invalid_datetime"),
        ({**SENT, "datetime": 10**18}, "invalid_datetime"),
        ({**SENT, "datetime": -9 * 10**10}, "invalid_datetime"),
        ({**SENT, "datetime": True}, "wrong_type"),
        ({**SENT, "datetime": [1]}, "wrong_type"),
        ({**SENT, "user": "103"}, "wrong_type"),
        ({**SENT, "user": True}, "wrong_type"),
        ({**SENT, "bounce": "no"}, "wrong_type"),
        ({**SENT, "algorithms": "trends"}, "wrong_type"),
        ({**SENT, "algorithms": ["trends", 3]}, "wrong_type"),
        ({**SENT, "partner": 4999}, "wrong_type"),
        ({**SENT, "event_type": ["sent"]}, "wrong_type"),
        ({**SENT, "event_type": {"type": "sent"}}, "wrong_type"),
        ({**SENT, "event_type": 1}, "wrong_type"),
        ({**SENT, "event_type": None}, "missing_event_type"),
        ({**SENT, "event_id": None}, "missing_event_id"),
        ({**SENT, "event_id": " \u3000 "}, "missing_event_id"),
        ({**SENT, "user": 103.0}, "wrong_type"),
        ({**SENT, "complaint": 0}, "wrong_type"),
        ({**SENT, "datetime": "1700000000"}, "invalid_datetime"),
        ({**SENT, "datetime": "9999-12-31T23:59:59-05:00"}, "invalid_datetime"),
        ({**SENT, "subject": "x\u0000y"}, "control_character"),
        ({**SENT, "event_id": "e\n1"}, "control_character"),
        ({**SENT, "layout": "a\tb"}, "control_character"),
        ({**SENT, "device": "\u0085"}, "control_character"),
        ({**SENT, "algorithms": ["trends\u007f"]}, "control_character"),
        ({**SENT, "datetime": "2023-11-14T22:13:20\u0000"}, "control_character"),
    ],
)
def test_rejection_reasons(document: Any, reason: str) -> None:
    assert _reason(document) == reason


def test_invalid_json_and_non_utf8() -> None:
    truncated = _check(json.dumps(SENT).encode()[:30])
    assert isinstance(truncated, Rejection)
    assert truncated.reason == "invalid_json"
    latin1 = json.dumps({**SENT, "subject": "promoção"}, ensure_ascii=False).encode("latin-1")
    rejected = _check(latin1)
    assert isinstance(rejected, Rejection)
    assert rejected.reason == "not_utf8"


def test_payload_text_is_base64_only_when_not_utf8() -> None:
    assert payload_text("ação".encode()) == ("ação", False)
    text, is_base64 = payload_text(b"\xff\xfe")
    assert is_base64
    assert base64.b64decode(text) == b"\xff\xfe"


@pytest.mark.parametrize(
    "value",
    [
        0,  # the epoch itself: a default value, not a time
        -1,
        "9999-12-31T23:59:59Z",
        253_402_300_799,  # year 9999 in seconds, read as milliseconds: 1978
        1_123_920_000_000,  # 2005, eighteen years before the arrival
        "2023-11-16T00:00:01Z",  # a day and a second after the arrival
    ],
)
def test_event_times_far_from_the_arrival_are_implausible(value: Any) -> None:
    assert _reason({**SENT, "datetime": value}) == "implausible_datetime"


def test_the_window_edges_are_inside() -> None:
    oldest, newest = ARRIVAL - WINDOW.max_age, ARRIVAL + WINDOW.max_ahead
    for edge in (oldest, newest):
        assert not isinstance(_validate({**SENT, "datetime": edge.isoformat()}), Rejection)


@pytest.mark.parametrize(
    "payload",
    [
        b'{"event_id": "e", "event_type": "opened", "event_type": "sent", "datetime": 1700000000}',
        b'{"event_id": "e", "event_type": "sent", "datetime": 1700000000, "x": {"a": 1, "a": 2}}',
        b'{"event_id": "e", "event_type": "sent", "datetime": 1700000000, "x": [{"b": 1, "b": 1}]}',
    ],
)
def test_a_key_given_twice_at_any_depth_is_rejected(payload: bytes) -> None:
    rejected = _check(payload)
    assert isinstance(rejected, Rejection)
    assert rejected.reason == "duplicate_key"


def test_numbers_beyond_a_double_are_not_json() -> None:
    for number in (b"1e400", b"-1e400"):
        payload = b'{"event_id": "e", "event_type": "sent", "datetime": 1700000000, "x": %s}' % number
        rejected = _check(payload)
        assert isinstance(rejected, Rejection)
        assert rejected.reason == "invalid_json"


def test_blank_text_fields_count_as_absent_and_ids_are_kept_verbatim() -> None:
    columns = _validate({**SENT, "event_id": " e-1 ", "partner": "", "subject": "  ", "layout": "\u00a0"})
    assert isinstance(columns, dict)
    kept = (columns["event_id"], columns["partner"], columns["subject"], columns["layout"])
    assert kept == (" e-1 ", None, None, None)


def test_deep_unknown_fields_are_stored_or_rejected_never_raised() -> None:
    for depth in (10, 500, 900, 990, 1000, 5000):
        payload = b'{"event_id": "e", "event_type": "sent", "datetime": 1700000000, "x": %s}' % (
            b"[" * depth + b"]" * depth
        )
        result = _check(payload)
        assert isinstance(result, dict) or result.reason == "invalid_json", depth


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_every_control_character_is_found_however_the_producer_escapes_it(ensure_ascii: bool) -> None:
    controls = [chr(code) for code in (*range(0x20), *range(0x7F, 0xA0))]
    for control in controls:
        document = {**SENT, "subject": f"a{control}b"}
        rejected = _check(json.dumps(document, ensure_ascii=ensure_ascii).encode())
        assert isinstance(rejected, Rejection), repr(control)
        assert rejected.reason == "control_character", repr(control)
    upper = _check(json.dumps(SENT).replace('"hotmail.com"', '"hot\\u001Fmail.com"').encode())
    assert isinstance(upper, Rejection)
    assert upper.reason == "control_character"


def test_the_rejects_model_accepts_exactly_the_reasons_validation_gives() -> None:
    models = yaml.safe_load((REPO_ROOT / "models" / "staging" / "email" / "_email__models.yml").read_text())
    (rejected,) = [model for model in models["models"] if model["name"] == "stg_email__events_rejected"]
    (reason,) = [column for column in rejected["columns"] if column["name"] == "reason"]
    (accepted,) = [test["accepted_values"] for test in reason["data_tests"] if isinstance(test, dict)]
    assert sorted(accepted["arguments"]["values"]) == sorted(REASONS)
    loading_notes = (REPO_ROOT / "docs" / "loading.md").read_text()
    assert all(f"`{code}`" in loading_notes for code in REASONS), "every reason is documented in docs/loading.md"


def test_a_window_reaching_past_the_calendar_accepts_every_time() -> None:
    unbounded = EventTimeWindow(max_age=timedelta(days=999_999), max_ahead=timedelta(days=3_000_000))
    for value in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"):
        assert not isinstance(
            validate_record(json.dumps({**SENT, "datetime": value}).encode(), ARRIVAL, unbounded), Rejection
        )
