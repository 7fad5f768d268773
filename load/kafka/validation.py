"""Validation of one shop transaction message: bytes in, typed columns or a rejection reason out. Pure.

The message is a JSON object in the "Online Shop Business" shape (the contract of `raw_shop.transactions`):
- `TransactionNo`: text of digits; a `C` before them marks a cancellation;
- `Date`: ISO-8601 date and time (no zone means UTC);
- `ProductNo`, `ProductName`, `Country`: non-empty text;
- `Price`: a JSON number, not negative, whole cents (kept exact: the digits as written, as a decimal);
- `Quantity`: a non-zero integer, negative exactly when the transaction is a cancellation;
- `CustomerNo`: an integer or text of digits, or null (a guest).
Unknown fields are kept as JSON text (`extra_fields`): producers add fields before consumers learn about them.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson

CANCELLATION_PREFIX = "C"
PRICE_LIMIT = Decimal("10000000000")  # fits decimal(12, 2)
REASONS = (
    "not_utf8",
    "invalid_json",
    "not_an_object",
    "missing_field",
    "wrong_type",
    "invalid_transaction_no",
    "invalid_date",
    "invalid_price",
    "invalid_quantity",
    "invalid_customer_no",
)
_TRANSACTION_NO = re.compile(r"C?[0-9]{1,18}")
_DIGITS = re.compile(r"[0-9]{1,18}")
_TEXT_FIELDS = ("ProductNo", "ProductName", "Country")
KNOWN_FIELDS = ("TransactionNo", "Date", "ProductNo", "ProductName", "Price", "Quantity", "CustomerNo", "Country")
_KNOWN_SET = frozenset(KNOWN_FIELDS)
REQUIRED_FIELDS = _KNOWN_SET - {"CustomerNo"}
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rejection:
    """Why a message is not a valid transaction. `reason` is a stable code for monitoring; `detail` is for people."""

    reason: str
    detail: str


def decoded(value: bytes | None) -> Any:
    """The message's JSON document; None when it is not JSON (validate_message then says why)."""
    try:
        return orjson.loads(value or b"")
    except orjson.JSONDecodeError:
        return None


def validate_message(value: bytes | None) -> dict[str, Any] | Rejection:
    """The columns of a valid transaction message, or why it is not one."""
    try:
        # orjson: strict JSON (no NaN / Infinity) and several times faster than json, which bounds the load's rate.
        document = orjson.loads(value or b"")
    except orjson.JSONDecodeError as error:
        try:
            (value or b"").decode("utf-8")
        except UnicodeDecodeError as not_utf8:
            return Rejection("not_utf8", str(not_utf8))
        return Rejection("invalid_json", str(error))
    if not isinstance(document, dict):
        return Rejection("not_an_object", f"a JSON {type(document).__name__}, not an object")
    missing = sorted(name for name in REQUIRED_FIELDS if document.get(name) is None)
    if missing:
        return Rejection("missing_field", f"missing {', '.join(missing)}")
    return _checked(document)


def _checked(document: dict[str, Any]) -> dict[str, Any] | Rejection:
    for name in ("TransactionNo", "Date", *_TEXT_FIELDS):
        if not isinstance(document[name], str):
            return Rejection("wrong_type", f"{name} is a {type(document[name]).__name__}, not text")
        if not document[name].strip():
            return Rejection("missing_field", f"{name} is blank")
    transaction_no = document["TransactionNo"].strip()
    if not _TRANSACTION_NO.fullmatch(transaction_no):
        return Rejection(
            "invalid_transaction_no", f"TransactionNo {transaction_no!r} is not digits, optionally after C"
        )
    transacted_at = _timestamp(document["Date"])
    if transacted_at is None:
        return Rejection("invalid_date", f"Date {document['Date']!r} is not an ISO-8601 date and time")
    price, quantity = document["Price"], document["Quantity"]
    if isinstance(price, bool) or not isinstance(price, int | float):
        return Rejection("wrong_type", f"Price is a {type(price).__name__}, not a number")
    # A float's repr is the shortest text that reads back as it: the digits the producer wrote, exactly.
    price = Decimal(repr(price)) if isinstance(price, float) else Decimal(price)
    if price < 0 or price >= PRICE_LIMIT or price != price.quantize(_CENT):
        return Rejection("invalid_price", f"Price {price} is negative, too large or not whole cents")
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        return Rejection("wrong_type", f"Quantity is a {type(quantity).__name__}, not an integer")
    is_cancellation = transaction_no.startswith(CANCELLATION_PREFIX)
    if quantity == 0 or (quantity < 0) != is_cancellation or abs(quantity) >= 2**31:
        return Rejection(
            "invalid_quantity",
            f"Quantity {quantity} of {'a cancellation' if is_cancellation else 'a sale'}: a sale's is above 0, "
            "a cancellation's below 0",
        )
    customer_no = _customer_no(document.get("CustomerNo"))
    if isinstance(customer_no, Rejection):
        return customer_no
    return {
        "transaction_no": transaction_no,
        "date_raw": document["Date"],
        "transacted_at": transacted_at,
        "product_no": document["ProductNo"].strip(),
        "product_name": document["ProductName"].strip(),
        "price": price.quantize(_CENT),
        "quantity": quantity,
        "customer_no": customer_no,
        "country": document["Country"].strip(),
        "extra_fields": extra_fields(document),
    }


def extra_fields(document: dict[str, Any]) -> str | None:
    """The fields beyond the known ones, as JSON text (None when there are none)."""
    extra = {name: value for name, value in document.items() if name not in _KNOWN_SET}
    return json.dumps(extra, default=str, ensure_ascii=False) if extra else None


def _timestamp(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if "T" not in text and " " not in text.strip():
        return None  # a date alone: the marts count per minute
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:00:00-02:00 is past the last instant a datetime holds
        return None


def _customer_no(value: Any) -> str | Rejection | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**18:
        return str(value)
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return value.strip()
    return Rejection("invalid_customer_no", f"CustomerNo {value!r} is not a number of digits")


def payload_text(value: bytes | None) -> tuple[str, bool]:
    """The payload as text for the rejects table: UTF-8 as is, else base64 (flagged)."""
    try:
        return (value or b"").decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(value or b"").decode("ascii"), True
