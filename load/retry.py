"""Retries: exponential backoff with full jitter for transient failures, and polling until a condition holds."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Backoff:
    """Wait a random time up to `base_seconds * 2**attempt` (capped at `max_seconds`) before the next attempt;
    give up after `max_attempts`. Full jitter spreads out callers that failed at the same moment."""

    base_seconds: float = 0.2
    max_seconds: float = 5.0
    max_attempts: int = 10
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def delay(self, attempt: int) -> float:
        return random.uniform(0, min(self.max_seconds, self.base_seconds * 2**attempt))

    def wait(self, attempt: int, error: BaseException) -> None:
        """Sleep before retrying after failed attempt number `attempt` (from 1); raise `error` once they are used up."""
        if attempt >= self.max_attempts:
            raise error
        self.sleep(self.delay(attempt))

    def call(self, retryable: Callable[[Exception], bool], method: Callable[..., Any], **arguments: Any) -> Any:
        """`method(**arguments)`, retried while it raises an error `retryable` accepts."""
        attempt = 0
        while True:
            try:
                return method(**arguments)
            except Exception as error:
                if not retryable(error):
                    raise
                attempt += 1
                self.wait(attempt, error)


def wait_until(
    condition: Callable[[], T],
    timeout_seconds: float,
    interval_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
) -> T | None:
    """Ask `condition()` every `interval_seconds` until it returns a true value, which is returned; None once
    `timeout_seconds` have passed without one."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            return None
        sleep(interval_seconds)
