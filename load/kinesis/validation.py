"""Validation of one email event record: bytes in, a typed event or a rejection reason out. Pure.

Rules (the contract of `raw_email.email_events`; the marts rely on them):
- the payload is UTF-8, strict JSON (no NaN / Infinity or numbers beyond a double, no lone surrogates, no object
  with the same key twice at any depth: which value a reader keeps is undefined) holding an object;
- `event_id` is a non-empty string, `event_type` one of sent / opened / clicked, `datetime` an epoch
  (seconds, milliseconds or microseconds, told apart by magnitude) or an ISO-8601 string;
- the event's time lies within a window around the record's arrival on the stream (`EventTimeWindow`): a time
  decades before its arrival or after it is a producer bug (an epoch in the wrong unit, a placeholder date), and
  kept it would put the event on a day it never happened;
- the known optional fields have their documented type or are null/absent; a blank text field (empty or
  whitespace only) counts as absent;
- no text that reaches a text column holds a control character (U+0000-U+001F, U+007F-U+009F): the record is
  rejected rather than the character stripped, so the producer's value is never changed behind its back and the
  raw payload stays in the rejects table;
- unknown fields are kept (in `extra_fields`, as JSON text), never a reason to reject: producers add fields before
  consumers learn about them, and a loader that drops events on a new field loses data.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

EVENT_TYPES = frozenset({"sent", "opened", "clicked"})
# The reasons of a payload that is no JSON object, and of a field of any stream's events.
PAYLOAD_REASONS = ("not_utf8", "invalid_json", "duplicate_key", "not_an_object")
FIELD_REASONS = ("missing_datetime", "invalid_datetime", "implausible_datetime", "wrong_type", "control_character")
# Every reason code a rejection can carry (stg_email__events_rejected accepts exactly these).
REASONS = (*PAYLOAD_REASONS, "missing_event_id", "missing_event_type", "unknown_event_type", *FIELD_REASONS)

# Epoch magnitudes: below 1e11 seconds reach the year 5138, so anything larger is a finer unit.
_SECONDS_LIMIT = 1e11
_MILLIS_LIMIT = 1e14
_MICROS_LIMIT = 1e17
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f]")
# In JSON text a control character is an escape (\n, \u0000; raw ones below U+0020 are invalid JSON) or a raw
# U+007F-U+009F. A payload without any of these holds none, and its fields need no check of their own (the
# common case); a false alarm (an escaped backslash before "n") only costs those checks.
_CONTROL_ESCAPE = re.compile(r"\\[bfnrt]|\\u00[01789][0-9a-fA-F]")
_RAW_CONTROL = re.compile("[\x7f-\x9f]")

_STRING_FIELDS = ("layout", "partner", "subject", "email_provider", "device", "os")
_BOOLEAN_FIELDS = ("bounce", "complaint")
_KNOWN_FIELDS = frozenset(
    {"event_id", "event_type", "datetime", "algorithms", "user", *_STRING_FIELDS, *_BOOLEAN_FIELDS}
)


@dataclass(frozen=True)
class Rejection:
    """Why a record is not a valid event. `reason` is a stable code for monitoring; `detail` is for people."""

    reason: str
    detail: str


@dataclass(frozen=True)
class EventTimeWindow:
    """The plausible times of an event arriving at `arrived_at`: at most `max_age` before it, at most `max_ahead`
    after it (producer clocks run a little ahead)."""

    max_age: timedelta = timedelta(days=30)
    max_ahead: timedelta = timedelta(hours=24)

    def check(self, event_at: datetime, arrived_at: datetime) -> None:
        if event_at < _shifted(arrived_at, -self.max_age):
            raise Invalid(
                "implausible_datetime",
                f"datetime {event_at.isoformat()} is more than {_span_text(self.max_age)} before its arrival "
                f"{arrived_at.isoformat()}",
            )
        if event_at > _shifted(arrived_at, self.max_ahead):
            raise Invalid(
                "implausible_datetime",
                f"datetime {event_at.isoformat()} is more than {_span_text(self.max_ahead)} after its arrival "
                f"{arrived_at.isoformat()}",
            )


def _shifted(moment: datetime, span: timedelta) -> datetime:
    """`moment + span`, or the first / last representable time when a wide window reaches past it."""
    try:
        return moment + span
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC) if span > timedelta(0) else datetime.min.replace(tzinfo=UTC)


class Invalid(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.rejection = Rejection(reason, detail)


def validate_record(data: bytes, arrived_at: datetime, window: EventTimeWindow) -> dict[str, Any] | Rejection:
    """The event's columns for `email_events`, or the reason it goes to `email_events_rejected`.
    `arrived_at`: when the record reached the stream (a UTC-aware time)."""
    return validate_payload(data, arrived_at, window, _event_columns)


def validate_payload(
    data: bytes,
    arrived_at: datetime,
    window: EventTimeWindow,
    columns_of: Callable[[dict[str, Any], bool], dict[str, Any]],
) -> dict[str, Any] | Rejection:
    """`columns_of(object, may_hold_controls)` of the payload's JSON object, whose `event_at` lies in `window`
    around `arrived_at`; or why not."""
    try:
        document, may_hold_controls = json_object(data)
        columns = columns_of(document, may_hold_controls)
        window.check(columns["event_at"], arrived_at)
        return columns
    except Invalid as invalid:
        return invalid.rejection


def event_time_columns(event: dict[str, Any]) -> dict[str, Any]:
    """`datetime_raw` (the producer's text) and `event_at` (UTC) of the required `datetime` field."""
    raw_datetime = required(event, "datetime")
    # A parsed datetime is a string or a finite int / float, whose JSON text is its repr.
    return {
        "datetime_raw": raw_datetime if isinstance(raw_datetime, str) else repr(raw_datetime),
        "event_at": parse_event_datetime(raw_datetime),
    }


def payload_text(data: bytes) -> tuple[str, bool]:
    """The payload as stored with a rejection: the text itself, or base64 (flag True) when not UTF-8."""
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii"), True


def parse_event_datetime(value: Any) -> datetime:
    """A UTC timestamp from an epoch in s / ms / µs (by magnitude) or an ISO-8601 string (naive = UTC)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise Invalid("wrong_type", f"datetime must be a number or an ISO-8601 string, not {kind_of(value)}")
    if isinstance(value, str):
        check_text("datetime", value)
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise Invalid("invalid_datetime", f"datetime {value[:40]!r} is not ISO-8601") from None
        try:
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
        except OverflowError:
            raise Invalid("invalid_datetime", f"datetime {value[:40]!r} is outside years 1-9999 in UTC") from None
    if not math.isfinite(value):
        raise Invalid("invalid_datetime", f"datetime {value} is not a finite number")
    magnitude = abs(value)
    if magnitude >= _MICROS_LIMIT:
        raise Invalid("invalid_datetime", f"datetime {value} is beyond a microsecond epoch")
    # Integer arithmetic for integers keeps microsecond precision that float seconds would round away.
    per_second = 1 if magnitude < _SECONDS_LIMIT else 1_000 if magnitude < _MILLIS_LIMIT else 1_000_000
    try:
        if isinstance(value, int):
            return _EPOCH + timedelta(microseconds=value * (1_000_000 // per_second))
        return _EPOCH + timedelta(seconds=value / per_second)
    except OverflowError:
        raise Invalid("invalid_datetime", f"datetime {value} is outside years 1-9999") from None


def json_object(data: bytes) -> tuple[dict[str, Any], bool]:
    """The payload's object, and whether its text may hold a control character (False: surely not)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Invalid("not_utf8", f"payload is not UTF-8 ({error.reason} at byte {error.start})") from None
    try:
        if text.startswith("\ufeff"):  # as json.loads rejects it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        document = _DECODER.decode(text)
    except _DuplicateKey as duplicate:
        raise Invalid("duplicate_key", f"an object has the key {duplicate.key[:40]!r} more than once") from None
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise Invalid("invalid_json", f"payload is not JSON: {error}"[:200]) from None
    if _LONE_SURROGATE_ESCAPE.search(text):
        # "\ud800" alone is valid JSON syntax but no Unicode text: it could not be written to the warehouse.
        try:
            json.dumps(document, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise Invalid("invalid_json", "payload escapes a lone UTF-16 surrogate") from None
    if not isinstance(document, dict):
        raise Invalid("not_an_object", f"payload is a JSON {kind_of(document)}, not an object")
    return document, _may_hold_controls(text)


def _may_hold_controls(text: str) -> bool:
    # The plain substring and ASCII tests run in C and settle most payloads before any regular expression does.
    return bool(
        ("\\" in text and _CONTROL_ESCAPE.search(text))
        or ((not text.isascii() or "\x7f" in text) and _RAW_CONTROL.search(text))
    )


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object_without_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return document


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are Python's extensions, not JSON (RFC 8259).
    raise ValueError(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    # 1e400 is valid JSON syntax, but Python reads it as infinity, which no JSON writer can write back.
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:40]} is beyond a double")
    return value


# One decoder for every record (json.loads with options builds a new one per call).
_DECODER = json.JSONDecoder(
    parse_constant=_reject_constant, parse_float=_finite_float, object_pairs_hook=_object_without_duplicate_keys
)


def _event_columns(event: dict[str, Any], check_controls: bool) -> dict[str, Any]:
    event_id = required(event, "event_id")
    if not isinstance(event_id, str):
        raise Invalid("wrong_type", f"event_id must be a string, not {kind_of(event_id)}")
    if not event_id.strip():
        raise Invalid("missing_event_id", "event_id is empty")
    if check_controls:
        check_text("event_id", event_id)
    event_type = required(event, "event_type")
    if not isinstance(event_type, str):
        raise Invalid("wrong_type", f"event_type must be a string, not {kind_of(event_type)}")
    if event_type not in EVENT_TYPES:
        raise Invalid("unknown_event_type", f"event_type {event_type[:40]!r} is not one of {sorted(EVENT_TYPES)}")
    columns: dict[str, Any] = {
        "event_id": event_id,
        "event_type": event_type,
        **event_time_columns(event),
        "algorithms": _algorithms(event.get("algorithms"), check_controls),
        "user": customer_number(event.get("user")),
    }
    for name in _STRING_FIELDS:
        columns[name] = optional_text(name, event.get(name), check_controls)
    for name in _BOOLEAN_FIELDS:
        value = event.get(name)
        if value is not None and not isinstance(value, bool):
            raise Invalid("wrong_type", f"{name} must be a boolean, not {kind_of(value)}")
        columns[name] = value
    extra = {key: value for key, value in event.items() if key not in _KNOWN_FIELDS}
    # As JSON text: unknown values may hold integers wider than the warehouse's 64-bit numbers.
    columns["extra_fields"] = extra_fields_json(extra) if extra else None
    return columns


def required(event: dict[str, Any], name: str) -> Any:
    value = event.get(name)
    if value is None:
        raise Invalid(f"missing_{name}", f"{name} is missing or null")
    return value


def optional_text(name: str, value: Any, check_controls: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid("wrong_type", f"{name} must be a string, not {kind_of(value)}")
    if check_controls:
        check_text(name, value)
    return value if value.strip() else None


def check_text(name: str, value: str) -> None:
    control = _CONTROL_CHARACTER.search(value)
    if control:
        raise Invalid(
            "control_character", f"{name} holds the control character U+{ord(control.group()):04X} at {control.start()}"
        )


def customer_number(value: Any, name: str = "user") -> int | None:
    # bool is a subclass of int: a `true` customer number is a producer bug, not customer 1.
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid("wrong_type", f"{name} must be an integer, not {kind_of(value)}")
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise Invalid("wrong_type", f"{name} {value} is beyond a 64-bit integer")
    return value


def _algorithms(value: Any, check_controls: bool) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid("wrong_type", f"algorithms must be a list of strings, not {kind_of(value)}")
    if check_controls:
        for item in value:
            check_text("algorithms", item)
    return value


def extra_fields_json(extra: dict[str, Any]) -> str:
    try:
        return json.dumps(extra, ensure_ascii=False)
    except RecursionError:
        # Nesting the decoder just managed can be too deep for the encoder, called one frame deeper.
        raise Invalid("invalid_json", "unknown fields are nested too deeply to store") from None


def kind_of(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _span_text(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours / 24:g} days" if hours >= 24 else f"{hours:g} hours"
