"""Retries of throttled Kinesis calls: exponential backoff with full jitter."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

THROTTLING_ERRORS = frozenset({"ProvisionedThroughputExceededException", "LimitExceededException"})


def error_code(error: ClientError) -> str | None:
    return error.response.get("Error", {}).get("Code")


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter for throttled calls."""

    base_seconds: float = 0.2
    max_seconds: float = 5.0
    max_attempts: int = 10
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def wait(self, attempt: int, error: ClientError) -> None:
        if attempt >= self.max_attempts:
            raise error
        self.sleep(random.uniform(0, min(self.max_seconds, self.base_seconds * 2**attempt)))

    def call(self, method: Callable[..., dict[str, Any]], **arguments: Any) -> dict[str, Any]:
        """`method(**arguments)`, retried while throttled."""
        attempt = 0
        while True:
            try:
                return method(**arguments)
            except ClientError as error:
                if error_code(error) not in THROTTLING_ERRORS:
                    raise
                attempt += 1
                self.wait(attempt, error)
