"""One explicit DuckDB transaction around several statements: all of them or none."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def in_transaction(connection: Any) -> Iterator[None]:
    """Commit the block's statements when it ends, roll them back when it raises (Ctrl-C and kills included)."""
    connection.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
