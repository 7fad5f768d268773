"""The analytics tests' warehouse: the demo shop and two days of email traffic on the real MariaDB and Kinesis,
loaded, built (marts and costed order lines, no tests) and published; `mf` pointed at it."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
from email_marts.email_records import private_sources

from demo.classicmodels import LAST_HISTORY_DAY, create_demo
from demo.emails import TrafficGenerator, TrafficPlan
from demo.kinesis_producer import put_entries
from isolated_run import DBT, isolated_env, run_checked
from load.kinesis.client import kinesis_client, stream_config
from load.local_services import REPO_ROOT, mysql_url
from local_mysql import admin_connection

# The email funnel metrics the semantic layer and the dashboards both define.
FUNNEL_METRICS = (
    "emails_sent",
    "emails_delivered",
    "emails_opened",
    "emails_clicked",
    "open_rate",
    "click_through_rate",
    "click_to_open_rate",
)

MF = str(Path(sys.executable).with_name("mf"))
# Two days of traffic inside the orders history, so attribution finds orders after them: (day, emails, seed).
TRAFFIC = ((LAST_HISTORY_DAY - timedelta(days=6), 300, 31), (LAST_HISTORY_DAY - timedelta(days=2), 300, 32))
# Everything the marts and the costed order lines need, without their tests (other suites own those).
BUILD = (
    "build",
    "--select",
    "+path:models/marts",
    "+int_order_lines_costed",
    "--exclude-resource-type",
    "test",
    "unit_test",
)


@dataclass(frozen=True)
class Warehouse:
    workdir: Path
    env: dict[str, str]

    @property
    def marts(self) -> Path:
        """The published marts file."""
        return self.workdir / "marts.duckdb"

    def sql(self, query: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.workdir / "w.duckdb"), read_only=True) as connection:
            return connection.execute(query).fetchall()

    def mf(self, *args: str) -> None:
        run_checked([MF, *args], self.env, timeout=120)

    @staticmethod
    def project_view(workdir: Path) -> Path:
        """The repo seen through symlinks but for target/, which is the build's: `mf` reads the semantic manifest
        from <project>/target/ and would otherwise query the tables of the repo's own warehouse."""
        project = workdir / "project"
        project.mkdir()
        for entry in REPO_ROOT.iterdir():
            if entry.name not in {"target", "logs", ".git"}:
                (project / entry.name).symlink_to(entry)
        (project / "target").symlink_to(workdir / "target", target_is_directory=True)
        return project

    def mf_query(self, metrics: tuple[str, ...], group_by: tuple[str, ...]) -> list[tuple[Any, ...]]:
        """The query's rows as read from `mf query --csv`: group-by values, then metric values."""
        out = self.workdir / "query.csv"
        group = ("--group-by", ",".join(group_by)) if group_by else ()
        self.mf("query", "--metrics", ",".join(metrics), *group, "--csv", str(out))
        with out.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        return [tuple(row[column] for column in (*group_by, *metrics)) for row in rows]


@contextmanager
def built_warehouse(workdir: Path) -> Iterator[Warehouse]:
    """The warehouse in workdir, its private stream and database removed afterwards."""
    with private_sources("analytics", 2, workdir) as (stream, database):
        env = isolated_env(
            workdir,
            SOURCES__MYSQL__CREDENTIALS=mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD", database),
            SOURCES__KINESIS__STREAM_NAME=stream,
        )
        create_demo(mysql_url("MARIADB_ADMIN_USER", "MARIADB_ADMIN_PASSWORD", database), scale=1, seed=7)
        with admin_connection(database) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT customerNumber FROM customers ORDER BY customerNumber")
            customers = [number for (number,) in cursor.fetchall()]
        kinesis = kinesis_client(stream_config().credentials)
        for day, emails, seed in TRAFFIC:
            plan = TrafficPlan(day=day, emails=emails, customers=customers, seed=seed)
            put_entries(kinesis, stream, TrafficGenerator(plan).entries())
        run_checked([sys.executable, "-m", "load", "run"], env, timeout=300)
        run_checked([DBT, *BUILD], env)
        run_checked([sys.executable, "-m", "load.publish", "--to", str(workdir / "marts.duckdb")], env)
        mf_env = {**env, "DBT_PROJECT_DIR": str(Warehouse.project_view(workdir))}
        yield Warehouse(workdir, mf_env)
