"""Validation of one shop transaction message (pure): every rule, with the reason a bad message is given."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from shop_line import LINE

from load.kafka.validation import REASONS, Rejection, validate_message


def encoded(**changes: Any) -> bytes:
    line = {**LINE, **changes}
    return json.dumps({name: value for name, value in line.items() if value is not ...}).encode()


def test_a_sale_and_a_cancellation_are_typed_exactly() -> None:
    sale = validate_message(encoded(Price=0.1, CustomerNo="17490", Loyalty="gold"))
    assert not isinstance(sale, Rejection)
    assert sale["price"] == Decimal("0.10")
    assert sale["transacted_at"] == datetime(2019, 12, 9, 10, 3, tzinfo=UTC)
    assert sale["customer_no"] == "17490"
    assert json.loads(sale["extra_fields"]) == {"Loyalty": "gold"}
    cancellation = validate_message(encoded(TransactionNo="C581484", Quantity=-12, CustomerNo=None))
    assert not isinstance(cancellation, Rejection)
    assert (cancellation["quantity"], cancellation["customer_no"]) == (-12, None)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"\xff\xfe", "not_utf8"),
        (b'{"TransactionNo": ', "invalid_json"),
        (encoded(Price=float("nan")), "invalid_json"),
        (b"[1, 2]", "not_an_object"),
        (encoded(Country=...), "missing_field"),
        (encoded(ProductName="  "), "missing_field"),
        (encoded(Quantity="3"), "wrong_type"),
        (encoded(Price="21.47"), "wrong_type"),
        (encoded(TransactionNo=581482), "wrong_type"),
        (encoded(TransactionNo="A581482"), "invalid_transaction_no"),
        (encoded(TransactionNo="CC581482"), "invalid_transaction_no"),
        (encoded(Date="12/9/2019"), "invalid_date"),
        (encoded(Date="2019-12-09"), "invalid_date"),
        (encoded(Price=-1), "invalid_price"),
        (encoded(Price=21.475), "invalid_price"),
        (encoded(Quantity=0), "invalid_quantity"),
        (encoded(Quantity=-2), "invalid_quantity"),
        (encoded(TransactionNo="C581484", Quantity=2), "invalid_quantity"),
        (encoded(CustomerNo="guest"), "invalid_customer_no"),
    ],
)
def test_a_bad_message_is_rejected_with_its_reason(payload: bytes, reason: str) -> None:
    rejection = validate_message(payload)
    assert isinstance(rejection, Rejection)
    assert rejection.reason == reason, rejection.detail
    assert rejection.reason in REASONS


def test_a_date_whose_zone_shifts_it_past_the_last_instant_is_an_invalid_date() -> None:
    rejection = validate_message(encoded(Date="9999-12-31T23:59:59-01:00"))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "invalid_date"
