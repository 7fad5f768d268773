"""The type a raw column keeps when its source column's type changes: one that holds every value either type can.

A raw table is re-copied after a DDL, but binlog changes written before a later DDL may still be replayed into it,
and raw keeps the values of rows the source no longer changes: so raw types only ever widen. DECIMAL(10,2) then
DECIMAL(14,4) gives DECIMAL(14,4); DECIMAL(14,4) then DECIMAL(12,2) keeps DECIMAL(14,4); INTEGER then BIGINT gives
BIGINT and never goes back. Types of different kinds (a number becoming text) take the new type: raw follows the
source, and the change log keeps the old values.
"""

from __future__ import annotations

import re

MAX_DECIMAL_DIGITS = 38
INTEGER_DIGITS = {
    "TINYINT": 3,
    "UTINYINT": 3,
    "SMALLINT": 5,
    "USMALLINT": 5,
    "INTEGER": 10,
    "UINTEGER": 10,
    "BIGINT": 19,
    "UBIGINT": 20,
    "HUGEINT": 38,
}
INTEGER_ORDER = ("TINYINT", "UTINYINT", "SMALLINT", "USMALLINT", "INTEGER", "UINTEGER", "BIGINT", "UBIGINT", "HUGEINT")
FLOAT_ORDER = ("FLOAT", "DOUBLE")
DECIMAL = re.compile(r"^DECIMAL\((\d+),\s*(\d+)\)$")


def decimal_digits(duckdb_type: str) -> tuple[int, int] | None:
    """(integer digits, scale) of a DECIMAL or integer type; None for other types."""
    match = DECIMAL.match(duckdb_type.upper())
    if match:
        precision, scale = int(match.group(1)), int(match.group(2))
        return precision - scale, scale
    digits = INTEGER_DIGITS.get(duckdb_type.upper())
    return None if digits is None else (digits, 0)


def wider_type(old: str, new: str) -> str:
    """A DuckDB type holding every value of `old` and of `new` (the new type when they are of different kinds)."""
    old_upper, new_upper = old.upper(), new.upper()
    if old_upper == new_upper:
        return new
    if old_upper in INTEGER_ORDER and new_upper in INTEGER_ORDER:
        return max(old_upper, new_upper, key=INTEGER_ORDER.index)
    if old_upper in FLOAT_ORDER and new_upper in FLOAT_ORDER:
        return max(old_upper, new_upper, key=FLOAT_ORDER.index)
    old_digits, new_digits = decimal_digits(old), decimal_digits(new)
    either_decimal = DECIMAL.match(old_upper) is not None or DECIMAL.match(new_upper) is not None
    if old_digits is None or new_digits is None or not either_decimal:
        return new
    integer_digits = max(old_digits[0], new_digits[0])
    scale = max(old_digits[1], new_digits[1])
    if integer_digits + scale > MAX_DECIMAL_DIGITS:
        return new
    return f"DECIMAL({integer_digits + scale},{scale})"
