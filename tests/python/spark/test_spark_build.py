"""The same project on Spark + Iceberg (target `spark`, sources = the lake) equals the DuckDB build, before and
after a day tick (incremental models merge, snapshots add versions).

A small demo shop and a week of emails on private sources, loaded and built on DuckDB; the loaders also land every
load in the lake (load/lake, beside the warehouse file), and `python -m spark_build` builds every seed, snapshot,
model, data test and unit test on Spark from that lake. After a day tick (the demo's next business day and its
emails, load, DuckDB build) the lake has the next loads and Spark builds again, incrementally. Both times every
mart must equal the DuckDB one row for row (keys, money to the cent; see mart_compare.py for the columns left out).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from demo_run import Demo, demo_environment
from mart_compare import compare_marts

from isolated_run import DBT
from load.local_services import REPO_ROOT
from local_mysql import private_database

pytestmark = [pytest.mark.spark, pytest.mark.integration]

SPARK_BUILD_TIMEOUT = 900


@dataclass
class TwinBuilds:
    demo: Demo
    spark_python: Path
    root: Path
    spark_marts: list[Path]  # the Spark marts exported after each build
    duckdb_warehouses: list[Path]  # copies of the DuckDB warehouse at the same points

    @property
    def lake(self) -> Path:
        """The lake the loaders wrote: their default, beside the warehouse file."""
        return Path(self.demo.warehouse).parent / "lake"

    def next_day_in_both(self, *dbt_args: str) -> None:
        """The DuckDB warehouse as built by the demo run so far is kept; Spark builds from the loaders' lake."""
        kept = self.root / f"duckdb_{len(self.duckdb_warehouses)}.duckdb"
        shutil.copyfile(self.demo.warehouse, kept)
        self.duckdb_warehouses.append(kept)
        assert any(self.lake.glob("*/_manifests/*.json")), f"no load in the lake at {self.lake}"
        self.spark_build(*dbt_args)

    def spark_build(self, *dbt_args: str) -> Path:
        exported = self.root / f"spark_marts_{len(self.spark_marts)}"
        env = {
            **self.demo.env,
            "LAKE_URL": str(self.lake),
            "SPARK_STATE_DIR": str(self.root / "spark_state"),
            "DBT_TARGET_PATH": str(self.root / "spark_target"),
            "DBT_LOG_PATH": str(self.root / "spark_logs"),
            "DBT_PROFILES_DIR": str(REPO_ROOT),
        }
        result = subprocess.run(
            [str(self.spark_python), "-m", "spark_build", "--export-marts", str(exported), *dbt_args],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=SPARK_BUILD_TIMEOUT,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
        self.spark_marts.append(exported)
        return exported

    def marts(self) -> list[str]:
        with duckdb.connect(str(self.duckdb_warehouses[0]), read_only=True) as connection:
            return [
                name
                for (name,) in connection.execute(
                    "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
                ).fetchall()
            ]


# A small shop (scale 0.1) and a week of emails keep the module short; every mart still has rows.
SHOP_SCALE = "0.1"
EMAIL_DAYS, EMAILS_PER_DAY = "7", "150"
# Spark's per-query latency, not its CPU, dominates at this size: more dbt threads than local[2]'s cores.
SPARK_THREADS = "4"


def duckdb_day(demo: Demo, *demo_steps: list[str]) -> None:
    """The demo's steps for one business day, then the load and the DuckDB build, on the private sources."""
    for step in [*demo_steps, ["-m", "load", "run"]]:
        result = demo.run(sys.executable, *step)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    built = demo.run(DBT, "build", "--threads", "2")
    assert built.returncode == 0, built.stdout[-5000:]


@pytest.fixture(scope="module")
def twin_builds(spark_python: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwinBuilds]:
    root = tmp_path_factory.mktemp("spark")
    with private_database("cm_spark") as database, demo_environment(database, root, "test-spark") as env:
        demo = Demo(env=env, database=database)
        builds = TwinBuilds(demo, spark_python, root, [], [])
        duckdb_day(
            demo,
            ["-m", "demo", "create", "--scale", SHOP_SCALE],
            ["-m", "demo", "emails", "--days", EMAIL_DAYS, "--emails", EMAILS_PER_DAY],
        )
        # every seed, snapshot, model, data test and unit test (the default selector leaves the unit tests out)
        builds.next_day_in_both("build", "--select", "fqn:*", "--threads", SPARK_THREADS)
        duckdb_day(
            demo,
            ["-m", "demo", "tick"],
            ["-m", "demo", "emails", "--days", "1", "--emails", EMAILS_PER_DAY],
        )
        # the incremental day: models, snapshots and seeds (the tests ran on the first build; the marts are
        # compared with DuckDB's below)
        not_tests = ["--exclude", "resource_type:test", "resource_type:unit_test"]
        builds.next_day_in_both("build", "--select", "fqn:*", *not_tests, "--threads", SPARK_THREADS)
        yield builds


def test_every_mart_built_on_spark_equals_duckdb(twin_builds: TwinBuilds) -> None:
    marts = twin_builds.marts()
    assert len(marts) >= 18
    assert {path.name for path in twin_builds.spark_marts[0].iterdir()} >= set(marts)
    assert compare_marts(twin_builds.duckdb_warehouses[0], twin_builds.spark_marts[0], marts) == []


def test_spark_still_equals_duckdb_after_a_day_tick(twin_builds: TwinBuilds) -> None:
    """The second builds ran incrementally on both engines (merges, snapshot versions) on the next day's loads."""
    assert compare_marts(twin_builds.duckdb_warehouses[1], twin_builds.spark_marts[1], twin_builds.marts()) == []
