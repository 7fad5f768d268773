"""Errors a user can act on: one line naming what to fix."""

from __future__ import annotations

from collections.abc import Iterator


class LoadConfigError(Exception):
    """Bad or missing configuration, unreachable server, missing object: the message says what to fix."""


def exception_chain(error: BaseException) -> Iterator[BaseException]:
    """`error`, then what caused it (`raise … from`) or was being handled when it was raised, and so on; each once."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
