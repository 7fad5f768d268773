"""One warehouse for the analytics tests (semantic layer, dashboards), built once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from analytics_warehouse import Warehouse, built_warehouse


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    with built_warehouse(tmp_path_factory.mktemp("analytics")) as built:
        yield built
