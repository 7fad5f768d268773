"""Which replace tables a cursor run may leave uncopied (load/mysql/unchanged_tables.py): the rules on saved state."""

from __future__ import annotations

from typing import Any

from load.mysql.binlog_position import BinlogPosition
from load.mysql.cdc_state import CdcState
from load.mysql.unchanged_tables import remember_checksums, saved_checksums, unchanged


def test_only_an_equal_known_checksum_counts_as_unchanged() -> None:
    saved = {"customers": 7, "offices": 9}
    assert unchanged("customers", {"customers": 7}, saved)
    assert not unchanged("offices", {"offices": 8}, saved)
    assert not unchanged("products", {"products": 1}, saved)  # never copied with a checksum
    assert not unchanged("customers", {"customers": None}, {"customers": None})  # the server gave none


def test_copies_remember_and_cdc_loads_forget_their_tables_checksums() -> None:
    state: dict[str, Any] = {}
    remember_checksums(state, {"customers": 7, "offices": 9, "products": None})
    assert saved_checksums(state) == {"customers": 7, "offices": 9}
    # The stream now writes customers: a later cursor run must copy it even if the source looks as it did.
    CdcState(position=BinlogPosition(file="mysql-bin.000001", pos=4), tables=("customers",)).save(state)
    assert saved_checksums(state) == {"offices": 9}
