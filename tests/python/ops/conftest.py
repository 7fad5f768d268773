"""One successful demo run on the shared local services, with private sources and outputs, for the ops tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from demo_run import Demo, demo_environment

from local_mysql import private_database


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """scripts/demo.sh pointed at private sources and outputs, run once successfully (the shop is created)."""
    root = tmp_path_factory.mktemp("ops_demo")
    with private_database("cm_ops") as database, demo_environment(database, root, "test-ops") as env:
        demo = Demo(env=env, database=database)
        first = demo.run("scripts/demo.sh")
        assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
        yield demo
