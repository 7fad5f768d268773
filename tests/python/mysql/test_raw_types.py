"""Raw column types only widen when the source's change (load/mysql/raw_types.py)."""

from __future__ import annotations

import pytest

from load.mysql.raw_types import wider_type


@pytest.mark.parametrize(
    ("old", "new", "kept"),
    [
        ("DECIMAL(10,2)", "DECIMAL(14,4)", "DECIMAL(14,4)"),  # widened: the new type
        ("DECIMAL(14,4)", "DECIMAL(10,2)", "DECIMAL(14,4)"),  # narrowed: the old one stays
        ("DECIMAL(12,4)", "DECIMAL(12,2)", "DECIMAL(14,4)"),  # more integer digits, fewer decimals: both
        ("INTEGER", "DECIMAL(10,2)", "DECIMAL(12,2)"),  # every INTEGER still fits
        ("DECIMAL(38,10)", "DECIMAL(38,2)", "DECIMAL(38,2)"),  # no DECIMAL holds both: the source's
        ("BIGINT", "INTEGER", "BIGINT"),
        ("SMALLINT", "INTEGER", "INTEGER"),
        ("FLOAT", "DOUBLE", "DOUBLE"),
        ("INTEGER", "VARCHAR", "VARCHAR"),  # another kind: the source's
        ("VARCHAR", "DATE", "DATE"),
        ("VARCHAR", "VARCHAR", "VARCHAR"),
    ],
)
def test_a_raw_type_holds_every_value_of_the_old_and_the_new_type(old: str, new: str, kept: str) -> None:
    assert wider_type(old, new) == kept
