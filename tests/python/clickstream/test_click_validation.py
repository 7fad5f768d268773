"""Page view records: valid ones become typed rows, every fault a stable reason (no server)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml

from load.kinesis.click_validation import REASONS, validate_click
from load.kinesis.tables import CLICKSTREAM, batch_tables
from load.kinesis.validation import EventTimeWindow, Rejection
from load.local_services import REPO_ROOT

ARRIVAL = datetime(2026, 12, 6, 12, tzinfo=UTC)
VIEW = {
    "event_id": "v-1",
    "customer_id": 103,
    "device": "mobile",
    "os": "android",
    "url": "/product/S10_1678",
    "traffic_source": "google",
    "referrer": "https://www.google.com/",
    "datetime": 1796558400000,
}


def _checked(view: dict[str, Any]) -> dict[str, Any] | Rejection:
    return validate_click(json.dumps(view).encode(), ARRIVAL, EventTimeWindow())


def test_a_valid_view_keeps_its_fields_and_unknown_ones() -> None:
    columns = _checked({**VIEW, "campaign": "black-friday"})
    assert isinstance(columns, dict)
    assert columns["event_at"] == datetime(2026, 12, 6, 12, tzinfo=UTC)
    assert (columns["customer_id"], columns["url"]) == (103, "/product/S10_1678")
    assert columns["datetime_raw"] == "1796558400000"
    assert json.loads(columns["extra_fields"]) == {"campaign": "black-friday"}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"customer_id": None}, "missing_customer_id"),
        ({"customer_id": "103"}, "wrong_type"),
        ({"device": "smart-fridge"}, "unknown_device"),
        ({"device": " "}, "missing_device"),
        ({"url": "shop.example/cart"}, "invalid_url"),
        ({"traffic_source": ""}, "missing_traffic_source"),
        ({"os": 7}, "wrong_type"),
        ({"datetime": "yesterday"}, "invalid_datetime"),
        ({"datetime": 0}, "implausible_datetime"),
        ({"url": "/cart\u0000"}, "control_character"),
    ],
)
def test_each_fault_has_its_reason(change: dict[str, Any], reason: str) -> None:
    checked = _checked({**VIEW, **change})
    assert isinstance(checked, Rejection)
    assert checked.reason == reason
    assert reason in REASONS


def test_a_batch_routes_views_and_rejects_to_the_clickstream_tables() -> None:
    records = [
        {"Data": json.dumps(VIEW).encode(), "SequenceNumber": "1", "ApproximateArrivalTimestamp": ARRIVAL},
        {"Data": b"{", "SequenceNumber": "2", "ApproximateArrivalTimestamp": ARRIVAL},
    ]
    tables = batch_tables(records, "shardId-0", EventTimeWindow(), CLICKSTREAM)
    assert {table: rows.num_rows for table, rows in tables.items()} == {"page_views": 1, "page_views_rejected": 1}
    assert tables["page_views"].schema == CLICKSTREAM.schemas["page_views"]


def test_staging_accepts_exactly_the_reasons_the_loader_gives() -> None:
    models = yaml.safe_load((REPO_ROOT / "models/staging/clickstream/_clickstream__models.yml").read_text())
    rejected = next(model for model in models["models"] if model["name"] == "stg_clickstream__page_views_rejected")
    reason = next(column for column in rejected["columns"] if column["name"] == "reason")
    accepted = next(test["accepted_values"] for test in reason["data_tests"] if isinstance(test, dict))
    assert sorted(accepted["arguments"]["values"]) == sorted(REASONS)
