"""Validation rules of one email event record (pure)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from load.kinesis.validation import Rejection, parse_event_datetime, payload_text, validate_record

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


def _validate(document: Any) -> dict[str, Any] | Rejection:
    return validate_record(json.dumps(document).encode())


def _reason(document: Any) -> str:
    result = _validate(document)
    assert isinstance(result, Rejection), result
    return result.reason


def test_the_issue_samples_are_valid() -> None:
    sample = {**SENT, "datetime": 14567898765}
    opened = {"event_id": SENT["event_id"], "event_type": "opened", "datetime": 14567909765, "device": "desktop"}
    assert not isinstance(_validate(sample), Rejection)
    columns = _validate({**opened, "os": "mac os"})
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
    wide = validate_record(
        b'{"event_id": "e", "event_type": "sent", "datetime": 1, "trace": 123456789012345678901234567890}'
    )
    assert isinstance(wide, dict)
    assert json.loads(wide["extra_fields"]) == {"trace": 123456789012345678901234567890}
    assert _reason({**SENT, "user": 2**64}) == "wrong_type"
    for payload in (b'{"event_id": "e", "event_type": "sent", "datetime": NaN}', b'{"event_id": "\\ud800", "x": 1}'):
        rejected = validate_record(payload)
        assert isinstance(rejected, Rejection)
        assert rejected.reason == "invalid_json", payload
    paired = validate_record(b'{"event_id": "e", "event_type": "sent", "datetime": 1, "subject": "\\ud83d\\ude00"}')
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
    ],
)
def test_rejection_reasons(document: Any, reason: str) -> None:
    assert _reason(document) == reason


def test_invalid_json_and_non_utf8() -> None:
    truncated = validate_record(json.dumps(SENT).encode()[:30])
    assert isinstance(truncated, Rejection)
    assert truncated.reason == "invalid_json"
    latin1 = json.dumps({**SENT, "subject": "promoção"}, ensure_ascii=False).encode("latin-1")
    rejected = validate_record(latin1)
    assert isinstance(rejected, Rejection)
    assert rejected.reason == "not_utf8"


def test_payload_text_is_base64_only_when_not_utf8() -> None:
    assert payload_text("ação".encode()) == ("ação", False)
    text, is_base64 = payload_text(b"\xff\xfe")
    assert is_base64
    assert base64.b64decode(text) == b"\xff\xfe"
