"""Lake fixtures: one demo shop per module, read by every warehouse of the module's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from demo.classicmodels import create_demo
from lake_runs import Shop
from load.local_services import mysql_url
from local_mysql import private_database


@pytest.fixture(scope="module")
def shop() -> Iterator[Shop]:
    with private_database("cm_lake") as name:
        admin = mysql_url("MARIADB_ADMIN_USER", "MARIADB_ADMIN_PASSWORD", name)
        create_demo(admin, scale=1, seed=11)
        yield Shop(admin, mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD", name))
