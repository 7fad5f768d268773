"""The heavy one-time installs (the Spark extras with Java, the Superset venv), started in the background as soon as
the session knows it runs tests that need them, so that their unpacking overlaps the tests before those; the tests
that need them run last (in their own order), to leave the installs the most time.

The tests' own fixtures still run the same scripts: each script takes a lock, so a fixture waits for the background
install and then finds it done, or (if it failed) installs again and reports the error itself.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest

from load.local_services import REPO_ROOT


@dataclass(frozen=True)
class Install:
    command: tuple[str, ...]
    needed_by: Callable[[pytest.Item], bool]


INSTALLS = (
    Install(("scripts/spark_extras.sh",), lambda item: "spark_python" in getattr(item, "fixturenames", ())),
    Install(("dashboards/superset.sh", "install"), lambda item: item.path.name == "test_dashboards.py"),
)


def needs_an_install(item: pytest.Item) -> bool:
    return any(install.needed_by(item) for install in INSTALLS)


def last_the_tests_needing_an_install(items: list[pytest.Item]) -> None:
    """Reorder `items` in place: the tests needing an install after the others, each group in its own order."""
    items.sort(key=needs_an_install)


def start_needed(items: Sequence[pytest.Item]) -> list[subprocess.Popen[bytes]]:
    """Start each install a collected test needs. At normal priority: on a busy machine a lowered one starved the
    install, and the test needing it then waited longer than without the head start."""
    return [
        subprocess.Popen(
            install.command,
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for install in INSTALLS
        if any(install.needed_by(item) for item in items)
    ]


def wait_for(installs: Sequence[subprocess.Popen[bytes]]) -> None:
    """Let an install still running at the session's end finish: a package install cut half-way (apt's in
    particular) leaves more to repair than it saves."""
    for install in installs:
        install.wait()
