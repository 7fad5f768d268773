"""The lake on S3: a local S3-compatible server (moto), credentials from dlt secrets, never in the output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.classicmodels import day_tick
from lake_compare import differences
from lake_runs import Shop, lake_env, load_ok, rebuild_ok, run_load
from local_s3 import SECRET_KEY, LocalS3, free_port, local_s3


@pytest.fixture(scope="module")
def s3() -> Iterator[LocalS3]:
    with local_s3() as server:
        yield server


def test_loads_land_in_an_s3_lake_and_rebuild_from_it(shop: Shop, s3: LocalS3, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    env = {**lake_env(shop.loader_url, warehouse, "cdc"), **s3.lake_settings("lake")}
    outputs = [load_ok(env)]
    day_tick(shop.admin_url, seed=51)
    outputs.append(load_ok(env))
    rebuilt = tmp_path / "rebuilt.duckdb"
    result = rebuild_ok(env, rebuilt)
    assert "from the lake s3://commerce-lake/lake" in result.stdout
    assert differences(warehouse, rebuilt) == {}
    assert not any(SECRET_KEY in text for text in [*outputs, result.stdout, result.stderr])


def test_an_unreachable_s3_lake_fails_in_one_line(shop: Shop, s3: LocalS3, tmp_path: Path) -> None:
    settings = s3.lake_settings("lake")
    settings["LAKE__CREDENTIALS__ENDPOINT_URL"] = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings["LAKE__KWARGS"] = '{"config_kwargs": {"retries": {"max_attempts": 1}}}'  # fail now, not after retries
    result = run_load({**lake_env(shop.loader_url, tmp_path / "w.duckdb", "cdc"), **settings})
    assert result.returncode == 2, result.stderr[-3000:]
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "the lake s3://commerce-lake/lake is unreachable" in line, line
    assert "Traceback" not in result.stderr
    assert SECRET_KEY not in result.stderr
