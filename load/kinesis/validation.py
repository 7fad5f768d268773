"""Validation of one email event record: bytes in, a typed event or a rejection reason out. Pure.

Rules (the contract of `raw_email.email_events`):
- the payload is UTF-8, strict JSON (no NaN / Infinity, no lone surrogates) holding an object;
- `event_id` is a non-empty string, `event_type` one of sent / opened / clicked, `datetime` an epoch
  (seconds, milliseconds or microseconds, told apart by magnitude) or an ISO-8601 string;
- the known optional fields have their documented type or are null/absent;
- unknown fields are kept (in `extra_fields`, as JSON text), never a reason to reject: producers add fields before
  consumers learn about them, and a loader that drops events on a new field loses data.
"""

from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

EVENT_TYPES = frozenset({"sent", "opened", "clicked"})

# Epoch magnitudes: below 1e11 seconds reach the year 5138, so anything larger is a finer unit.
_SECONDS_LIMIT = 1e11
_MILLIS_LIMIT = 1e14
_MICROS_LIMIT = 1e17
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")

_STRING_FIELDS = ("layout", "partner", "subject", "email_provider", "device", "os")
_BOOLEAN_FIELDS = ("bounce", "complaint")
_TYPED_FIELDS = ((_STRING_FIELDS, str, "a string"), (_BOOLEAN_FIELDS, bool, "a boolean"))
_KNOWN_FIELDS = frozenset(
    {"event_id", "event_type", "datetime", "algorithms", "user", *_STRING_FIELDS, *_BOOLEAN_FIELDS}
)


@dataclass(frozen=True)
class Rejection:
    """Why a record is not a valid event. `reason` is a stable code for monitoring; `detail` is for people."""

    reason: str
    detail: str


class _Invalid(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.rejection = Rejection(reason, detail)


def validate_record(data: bytes) -> dict[str, Any] | Rejection:
    """The event's columns for `email_events`, or the reason it goes to `email_events_rejected`."""
    try:
        return _event_columns(_json_object(data))
    except _Invalid as invalid:
        return invalid.rejection


def payload_text(data: bytes) -> tuple[str, bool]:
    """The payload as stored with a rejection: the text itself, or base64 (flag True) when not UTF-8."""
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii"), True


def parse_event_datetime(value: Any) -> datetime:
    """A UTC timestamp from an epoch in s / ms / µs (by magnitude) or an ISO-8601 string (naive = UTC)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Invalid("wrong_type", f"datetime must be a number or an ISO-8601 string, not {_kind(value)}")
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise _Invalid("invalid_datetime", f"datetime {value[:40]!r} is not ISO-8601") from None
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    if not math.isfinite(value):
        raise _Invalid("invalid_datetime", f"datetime {value} is not a finite number")
    magnitude = abs(value)
    if magnitude >= _MICROS_LIMIT:
        raise _Invalid("invalid_datetime", f"datetime {value} is beyond a microsecond epoch")
    # Integer arithmetic for integers keeps microsecond precision that float seconds would round away.
    per_second = 1 if magnitude < _SECONDS_LIMIT else 1_000 if magnitude < _MILLIS_LIMIT else 1_000_000
    try:
        if isinstance(value, int):
            return _EPOCH + timedelta(microseconds=value * (1_000_000 // per_second))
        return _EPOCH + timedelta(seconds=value / per_second)
    except OverflowError:
        raise _Invalid("invalid_datetime", f"datetime {value} is before year 1") from None


def _json_object(data: bytes) -> dict[str, Any]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _Invalid("not_utf8", f"payload is not UTF-8 ({error.reason} at byte {error.start})") from None
    try:
        if text.startswith("\ufeff"):  # as json.loads rejects it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        document = _DECODER.decode(text)
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise _Invalid("invalid_json", f"payload is not JSON: {error}"[:200]) from None
    if _LONE_SURROGATE_ESCAPE.search(text):
        # "\ud800" alone is valid JSON syntax but no Unicode text: it could not be written to the warehouse.
        try:
            json.dumps(document, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise _Invalid("invalid_json", "payload escapes a lone UTF-16 surrogate") from None
    if not isinstance(document, dict):
        raise _Invalid("not_an_object", f"payload is a JSON {_kind(document)}, not an object")
    return document


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are Python's extensions, not JSON (RFC 8259).
    raise ValueError(f"{name} is not a JSON value")


# One decoder for every record (json.loads with options builds a new one per call).
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _event_columns(event: dict[str, Any]) -> dict[str, Any]:
    event_id = _required(event, "event_id")
    if not isinstance(event_id, str):
        raise _Invalid("wrong_type", f"event_id must be a string, not {_kind(event_id)}")
    if not event_id.strip():
        raise _Invalid("missing_event_id", "event_id is empty")
    event_type = _required(event, "event_type")
    if event_type not in EVENT_TYPES:
        raise _Invalid("unknown_event_type", f"event_type {str(event_type)[:40]!r} is not one of {sorted(EVENT_TYPES)}")
    raw_datetime = _required(event, "datetime")
    event_at = parse_event_datetime(raw_datetime)
    columns: dict[str, Any] = {
        "event_id": event_id,
        "event_type": event_type,
        # A parsed datetime is a string or a finite int / float, whose JSON text is its repr.
        "datetime_raw": raw_datetime if isinstance(raw_datetime, str) else repr(raw_datetime),
        "event_at": event_at,
        "algorithms": _algorithms(event.get("algorithms")),
        "user": _customer_number(event.get("user")),
    }
    for names, expected, described in _TYPED_FIELDS:
        for name in names:
            value = event.get(name)
            if value is not None and not isinstance(value, expected):
                raise _Invalid("wrong_type", f"{name} must be {described}, not {_kind(value)}")
            columns[name] = value
    extra = {key: value for key, value in event.items() if key not in _KNOWN_FIELDS}
    # As JSON text: unknown values may hold integers wider than the warehouse's 64-bit numbers.
    columns["extra_fields"] = json.dumps(extra, ensure_ascii=False) if extra else None
    return columns


def _required(event: dict[str, Any], name: str) -> Any:
    value = event.get(name)
    if value is None:
        raise _Invalid(f"missing_{name}", f"{name} is missing or null")
    return value


def _optional(event: dict[str, Any], name: str, expected: type, described: str) -> Any:
    value = event.get(name)
    # bool is a subclass of int: a `true` customer number is a producer bug, not customer 1.
    if value is None or (isinstance(value, expected) and not (expected is int and isinstance(value, bool))):
        return value
    raise _Invalid("wrong_type", f"{name} must be {described}, not {_kind(value)}")


def _customer_number(value: Any) -> int | None:
    number = _optional({"user": value}, "user", int, "an integer")
    if number is not None and not _INT64_MIN <= number <= _INT64_MAX:
        raise _Invalid("wrong_type", f"user {number} is beyond a 64-bit integer")
    return number


def _algorithms(value: Any) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Invalid("wrong_type", f"algorithms must be a list of strings, not {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
