"""A whole batch of decoded shop transaction messages checked at once, column by column, in Arrow.

validation.py decides one message at a time in Python, which at tens of thousands of messages a second is most of a
load's time. Here each field of a batch is one Arrow array, checked by Arrow's compute kernels, and a row is
accepted only when it is plainly valid in the usual shape: the eight fields with their JSON types, no whitespace to
strip, a `Date` like `2019-12-09T10:03:00` (optionally with a space for the `T`, a fraction of a second, and `Z` or
`+hh:mm`). Every other row (a missing field, a wrong type, a date form only validation.py reads, a bad value) is
left to validation.py, which decides it exactly as it always did. So this path accepts a subset of what
validation.py accepts, with the same columns, and never rejects anything itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from load.kafka.validation import (
    CANCELLATION_PREFIX,
    KNOWN_FIELDS,
    PRICE_LIMIT,
    REQUIRED_FIELDS,
    extra_fields,
)

_TRANSACTION_NO = f"^{CANCELLATION_PREFIX}?[0-9]{{1,18}}$"
_CUSTOMER_DIGITS = "^[0-9]{1,18}$"
_DATE = (
    r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$"
)
_SECONDS_FORMAT = "%Y-%m-%d %H:%M:%S"  # as Arrow prints a timestamp
_SECONDS_LENGTH = 19  # len("2019-12-09T10:03:00")
_SUFFIX = r"^(?:\.(?P<fraction>[0-9]{1,6}))?(?P<zone>.*)$"
_MICROS = 1_000_000
# Instants Python's datetime holds after the shift to UTC (years 1 to 9999): it overflows beyond them.
_FIRST_MICROS = pa.scalar("1000-01-02T00:00:00").cast(pa.timestamp("us")).value
_LAST_MICROS = pa.scalar("9999-12-30T00:00:00").cast(pa.timestamp("us")).value
_UTC = pa.timestamp("us", tz="UTC")
_PRICE = pa.decimal128(12, 2)
_CENTS = pa.decimal128(19, 0)  # int64 cents as a decimal, read back with two decimals
_NO_DOCUMENT: dict[str, Any] = {}


def accepted_rows(documents: Sequence[Any]) -> tuple[pa.BooleanArray, dict[str, pa.Array]]:
    """Which of the decoded `documents` (None: not JSON) are valid transactions in the usual shape, and the columns
    of `raw_shop.transactions` for every row (meaningful where accepted)."""
    objects = [document if type(document) is dict else _NO_DOCUMENT for document in documents]
    field = {name: list(map(dict.get, objects, repeat(name))) for name in KNOWN_FIELDS}
    # Arrow's trim removes exactly the characters Python's str.strip() does (tests/python/kafka holds it)
    transaction_no = pc.utf8_trim_whitespace(_typed(field["TransactionNo"], str, pa.string()))
    date = _typed(field["Date"], str, pa.string())
    texts = {
        name: pc.utf8_trim_whitespace(_typed(field[name], str, pa.string()))
        for name in ("ProductNo", "ProductName", "Country")
    }
    price, price_ok = _price(field["Price"])
    quantity = _typed(field["Quantity"], int, pa.int64())
    transacted_at, date_ok = _timestamp(date)
    customer_no, customer_ok = _customer_no(field["CustomerNo"])
    is_cancellation = pc.starts_with(transaction_no, CANCELLATION_PREFIX)
    checks = [
        pc.match_substring_regex(transaction_no, _TRANSACTION_NO),
        date_ok,
        *(pc.greater(pc.utf8_length(text), 0) for text in texts.values()),
        price_ok,
        pc.not_equal(quantity, 0),
        pc.less(pc.abs(quantity), 2**31),
        pc.equal(pc.less(quantity, 0), is_cancellation),
        customer_ok,
    ]
    accepted = checks[0]
    for check in checks[1:]:
        accepted = pc.and_kleene(accepted, check)
    columns = {
        "transaction_no": transaction_no,
        "date_raw": date,
        "transacted_at": transacted_at,
        "product_no": texts["ProductNo"],
        "product_name": texts["ProductName"],
        "price": price,
        "quantity": quantity,
        "customer_no": customer_no,
        "country": texts["Country"],
        "extra_fields": pa.array(_extra_fields(objects), pa.string()),
    }
    return pc.fill_null(accepted, False), columns


def _typed(values: list[Any], kind: type, arrow_type: pa.DataType) -> pa.Array:
    """`values` as an Arrow array; a value not exactly of type `kind` (a bool is no int) or out of range is null."""
    if not set(map(type, values)) <= {kind, type(None)}:
        values = [value if type(value) is kind else None for value in values]
    try:
        return pa.array(values, arrow_type)
    except (pa.ArrowInvalid, OverflowError):  # an integer beyond 64 bits
        fitting = [value if type(value) is not int or -(2**63) <= value < 2**63 else None for value in values]
        return pa.array(fitting, arrow_type)


def _price(values: list[Any]) -> tuple[pa.Array, pa.BooleanArray]:
    """Prices as decimal(12,2); valid where the JSON number is not negative, below the limit and whole cents.

    A float is whole cents exactly when its cents, rounded to an integer, divided by 100 give the float back: the
    shortest text of the float then has at most two decimals, as validation.py's Decimal(repr()) reads it."""
    if not set(map(type, values)) <= {int, float, type(None)}:
        values = [value if type(value) is int or type(value) is float else None for value in values]
    try:
        numbers = pa.array(values, pa.float64())
    except (pa.ArrowInvalid, OverflowError):  # an integer beyond 64 bits: never a valid price
        fitting = [value if type(value) is not int or abs(value) < 2**53 else None for value in values]
        numbers = pa.array(fitting, pa.float64())
    cents = pc.round(pc.multiply(numbers, 100.0))
    valid = pc.and_kleene(
        pc.and_kleene(pc.greater_equal(numbers, 0.0), pc.less(numbers, float(PRICE_LIMIT))),
        pc.equal(pc.divide(cents, 100.0), numbers),
    )
    whole_cents = pc.cast(pc.if_else(valid, cents, None), pa.int64()).cast(_CENTS)
    price = pa.Array.from_buffers(_PRICE, len(whole_cents), whole_cents.buffers(), whole_cents.null_count)
    return price, valid


def _timestamp(dates: pa.StringArray) -> tuple[pa.Array, pa.BooleanArray]:
    """`Date` as a UTC timestamp, valid where it has the usual shape and names a real instant."""
    dates = pc.utf8_trim_whitespace(dates)
    shaped = pc.match_substring_regex(dates, _DATE)
    seconds_text = pc.utf8_replace_slice(pc.utf8_slice_codeunits(dates, 0, _SECONDS_LENGTH), 10, 11, " ")
    seconds = pc.strptime(seconds_text, format=_SECONDS_FORMAT, unit="s", error_is_null=True)
    # strptime rolls a 30 February into March: only a date that prints back as written is real
    real = pc.equal(pc.cast(seconds, pa.string()), seconds_text)
    micros = pc.multiply(seconds.cast(pa.int64()), _MICROS)
    if pc.max(pc.utf8_length(dates)).as_py() not in (None, _SECONDS_LENGTH):  # some have a fraction or a zone
        after_seconds = pc.utf8_slice_codeunits(pc.if_else(shaped, dates, None), _SECONDS_LENGTH, 64)
        suffix = pc.extract_regex(after_seconds, _SUFFIX)
        micros = pc.subtract(pc.add(micros, _fraction_micros(suffix)), _zone_micros(suffix))
    in_range = pc.and_kleene(pc.greater_equal(micros, _FIRST_MICROS), pc.less_equal(micros, _LAST_MICROS))
    valid = pc.and_kleene(pc.and_kleene(shaped, real), in_range)
    return pc.if_else(valid, micros, None).cast(pa.timestamp("us")).cast(_UTC), valid


def _fraction_micros(suffix: pa.StructArray) -> pa.Array:
    """The fraction of a second after the seconds of a well-shaped `Date`, in microseconds (none: 0)."""
    fraction = pc.struct_field(suffix, "fraction")
    return pc.cast(pc.utf8_rpad(fraction, 6, "0"), pa.int64())


def _zone_micros(suffix: pa.StructArray) -> pa.Array:
    """The zone's offset from UTC after the seconds of a well-shaped `Date`: `+hh:mm`, or none or `Z` (0)."""
    zone = pc.struct_field(suffix, "zone")
    has_offset = pc.equal(pc.utf8_length(zone), 6)
    hours = pc.cast(pc.if_else(has_offset, pc.utf8_slice_codeunits(zone, 1, 3), "0"), pa.int64())
    minutes = pc.cast(pc.if_else(has_offset, pc.utf8_slice_codeunits(zone, 4, 6), "0"), pa.int64())
    sign = pc.if_else(pc.starts_with(zone, "-"), -1, 1)
    return pc.multiply(pc.multiply(pc.add(pc.multiply(hours, 60), minutes), sign), 60 * _MICROS)


def _customer_no(values: list[Any]) -> tuple[pa.Array, pa.BooleanArray]:
    """`CustomerNo` as text (null: a guest); valid where absent, null, a number below 10^18 or text of digits."""
    kinds = set(map(type, values))
    if kinds <= {int, type(None)}:
        numbers = _typed(values, int, pa.int64())
        if numbers.null_count == values.count(None):  # nothing out of range
            in_range = pc.and_kleene(pc.greater_equal(numbers, 0), pc.less(numbers, 10**18))
            return pc.cast(numbers, pa.string()), pc.or_kleene(pc.is_null(numbers), in_range)
    if kinds <= {str, type(None)}:
        texts = pc.utf8_trim_whitespace(pa.array(values, pa.string()))
        return texts, pc.or_kleene(pc.is_null(texts), pc.match_substring_regex(texts, _CUSTOMER_DIGITS))
    # Mixed: rare enough to decide one by one (validation.py decides every row this leaves out).
    plain = [value if type(value) is str else str(value) if type(value) is int else None for value in values]
    valid = [value is None or (type(value) is int and 0 <= value < 10**18) or type(value) is str for value in values]
    texts = pc.utf8_trim_whitespace(pa.array(plain, pa.string()))
    digits = pc.or_kleene(pc.is_null(texts), pc.match_substring_regex(texts, _CUSTOMER_DIGITS))
    return texts, pc.and_kleene(pa.array(valid), digits)


def _extra_fields(objects: list[dict[str, Any]]) -> list[str | None]:
    """Unknown fields as JSON text, for the rows that have any (the known ones number 7, or 8 with CustomerNo)."""
    known = len(REQUIRED_FIELDS)
    return [
        extra_fields(document) if len(document) > known + ("CustomerNo" in document) else None for document in objects
    ]
