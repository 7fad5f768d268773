"""A dlt resource with no rows that edits the mysql source's state, committed with the load it runs in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import dlt
from dlt.extract.resource import DltResource


def state_update(name: str, update: Callable[[dict[str, Any]], None]) -> DltResource:
    """State changed during extraction is what dlt commits with the load (edits made while the source is
    merely being built are not kept), so the edit runs as a resource."""

    @dlt.resource(name=name)
    def edit_state() -> Iterator[Any]:
        update(dlt.current.source_state())
        yield from ()

    return edit_state()
