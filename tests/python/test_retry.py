"""The one retry helper: backoff delays within their bounds, retries only of retryable errors, polling."""

from __future__ import annotations

import pytest

from load.retry import Backoff, wait_until


def test_delays_grow_exponentially_up_to_the_cap() -> None:
    backoff = Backoff(base_seconds=0.1, max_seconds=1.0)
    for attempt in range(12):
        assert 0 <= backoff.delay(attempt) <= min(1.0, 0.1 * 2**attempt)


def test_call_retries_retryable_errors_then_gives_up() -> None:
    sleeps: list[float] = []
    calls: list[int] = []

    def flaky(answer: str) -> str:
        calls.append(1)
        if len(calls) < 3:
            raise TimeoutError("busy")
        return answer

    backoff = Backoff(sleep=sleeps.append)
    assert backoff.call(lambda error: isinstance(error, TimeoutError), flaky, answer="done") == "done"
    assert len(sleeps) == 2

    with pytest.raises(TimeoutError):
        Backoff(max_attempts=2, sleep=sleeps.append).call(lambda _error: True, _always_busy)
    with pytest.raises(ValueError):
        backoff.call(lambda error: isinstance(error, TimeoutError), _invalid)


def _always_busy() -> None:
    raise TimeoutError("busy")


def _invalid() -> None:
    raise ValueError("not worth retrying")


def test_wait_until_returns_the_first_true_answer_or_none_at_the_timeout() -> None:
    answers = iter([0, None, "ready"])
    sleeps: list[float] = []
    assert wait_until(lambda: next(answers), timeout_seconds=5, interval_seconds=0.01, sleep=sleeps.append) == "ready"
    assert sleeps == [0.01, 0.01]
    assert wait_until(lambda: False, timeout_seconds=0.05, interval_seconds=0.01) is None
