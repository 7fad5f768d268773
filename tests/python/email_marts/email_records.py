"""Hand-made email event records for the email tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any


def at_ms(day: date, hour: int, minute: int = 0) -> int:
    """The epoch milliseconds of a UTC time on `day`, as producers stamp `datetime`."""
    return int(datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC).timestamp() * 1000)


def send_body(event_id: str, customer: int, at: int, **fields: Any) -> dict[str, Any]:
    """A complete `sent` record at epoch milliseconds `at`; `fields` replace or add attributes."""
    return {
        "event_id": event_id,
        "event_type": "sent",
        "datetime": at,
        "algorithms": ["trends", "cross-sell"],
        "layout": "minimal-layout.html",
        "partner": "4999",
        "user": customer,
        "subject": "volte-sempre",
        "bounce": False,
        "complaint": False,
        "email_provider": "gmail.com",
    } | fields
