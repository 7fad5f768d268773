"""Validation of one clickstream record (a page view): bytes in, a typed view or a rejection reason out. Pure.

Rules (the contract of `raw_clickstream.page_views`; the clickstream marts rely on them), besides the payload and
time rules shared with the email events (load/kinesis/validation.py):
- `event_id` is a non-empty string; `customer_id` an integer (sessions are per customer and device);
- `device` one of desktop / mobile / tablet; `url` a site path (starts with "/"); `traffic_source` a non-empty
  string (where the visit came from: direct, google, an email campaign...);
- `os` and `referrer` are optional strings; unknown fields are kept in `extra_fields`, never a reason to reject.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from load.kinesis.validation import (
    FIELD_REASONS,
    PAYLOAD_REASONS,
    EventTimeWindow,
    Invalid,
    Rejection,
    check_text,
    customer_number,
    event_time_columns,
    extra_fields_json,
    kind_of,
    optional_text,
    required,
    validate_payload,
)

DEVICES = frozenset({"desktop", "mobile", "tablet"})
# Every reason code a rejected page view can carry (stg_clickstream__page_views_rejected accepts exactly these).
REASONS = (
    *PAYLOAD_REASONS,
    "missing_event_id",
    "missing_customer_id",
    "missing_device",
    "unknown_device",
    "missing_url",
    "invalid_url",
    "missing_traffic_source",
    *FIELD_REASONS,
)
_KNOWN_FIELDS = frozenset({"event_id", "customer_id", "device", "os", "url", "traffic_source", "referrer", "datetime"})


def validate_click(data: bytes, arrived_at: datetime, window: EventTimeWindow) -> dict[str, Any] | Rejection:
    """The view's columns for `page_views`, or the reason it goes to `page_views_rejected`."""
    return validate_payload(data, arrived_at, window, _view_columns)


def _view_columns(view: dict[str, Any], check_controls: bool) -> dict[str, Any]:
    event_id = _required_text(view, "event_id", check_controls)
    customer_id = customer_number(required(view, "customer_id"), "customer_id")
    device = _required_text(view, "device", check_controls)
    if device not in DEVICES:
        raise Invalid("unknown_device", f"device {device[:40]!r} is not one of {sorted(DEVICES)}")
    url = _required_text(view, "url", check_controls)
    if not url.startswith("/"):
        raise Invalid("invalid_url", f"url {url[:40]!r} is not a site path (starting with /)")
    extra = {key: value for key, value in view.items() if key not in _KNOWN_FIELDS}
    return {
        "event_id": event_id,
        "customer_id": customer_id,
        "device": device,
        "os": optional_text("os", view.get("os"), check_controls),
        "url": url,
        "traffic_source": _required_text(view, "traffic_source", check_controls),
        "referrer": optional_text("referrer", view.get("referrer"), check_controls),
        **event_time_columns(view),
        "extra_fields": extra_fields_json(extra) if extra else None,
    }


def _required_text(view: dict[str, Any], name: str, check_controls: bool) -> str:
    value = required(view, name)
    if not isinstance(value, str):
        raise Invalid("wrong_type", f"{name} must be a string, not {kind_of(value)}")
    if not value.strip():
        raise Invalid(f"missing_{name}", f"{name} is empty")
    if check_controls:
        check_text(name, value)
    return value
