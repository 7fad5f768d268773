"""Publish the marts to the analysts' read-only DuckDB file: `python -m load.publish`.

DuckDB allows one writer or many readers per file, so analysts never open the warehouse itself: an open session
would block the next load or see a half-built state. After a successful `dbt build` (scripts/build.sh), the tables
and views of schema `marts` are copied into a new file beside the published one, which is then swapped in with one
atomic `os.replace`. A reader that has the old file open keeps reading its inode, a consistent snapshot of the
previous build, and never blocks the swap; its next connection sees the new build. A failure before the swap leaves
the published file untouched.

Only the relations of dbt models are copied: dbt never drops the table of a model since removed or renamed, and
publishing it would pass its last rows off as current. The CLI takes the models from the manifest of the last dbt
command (`$DBT_TARGET_PATH/manifest.json`), Dagster from its dbt assets; the relations left out are named.

In the published file the marts live in the default schema `main` (a schema named like the file's catalog, `marts`,
would make `marts.<table>` ambiguous), so `select * from marts.fct_order_lines` works the same against the warehouse
and against `warehouse/marts.duckdb`. Table `meta.publication` lists what was published, with row counts and when.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import stat
import sys
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from load.config import marts_path, warehouse_path
from load.durable_files import database_files, durable_replace
from load.local_services import REPO_ROOT
from load.sql_names import literal, quote

PUBLISHED_SCHEMA = "marts"
METADATA_SCHEMA = "meta"
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
# Analysts' clients (DuckDB CLI, BI drivers) often lag the DuckDB the warehouse is built with: write the published
# file in a storage format that DuckDB 1.4 and newer can read.
PUBLISHED_STORAGE_VERSION = "v1.4.0"


class PublishError(Exception):
    """The marts cannot be published; the published file is unchanged."""


@dataclass(frozen=True)
class Publication:
    path: Path
    row_counts: dict[str, int]
    seconds: float
    left_out: tuple[str, ...] = ()  # relations of schema marts that no dbt model builds

    def summary(self) -> str:
        rows = sum(self.row_counts.values())
        published = f"published {len(self.row_counts)} tables ({rows} rows) of schema {PUBLISHED_SCHEMA} to {self.path}"
        if not self.left_out:
            return published
        return f"{published}; left out, no dbt model builds them (drop them if unused): {', '.join(self.left_out)}"


def publish(warehouse: Path, destination: Path, models: Collection[str] | None = None) -> Publication:
    """Copy schema `marts` of the warehouse into `destination`, atomically replacing the previous copy.

    `models`: the dbt models of schema marts; other relations there are left out (None: every relation)."""
    if not warehouse.is_file():
        raise PublishError(f"no warehouse at {warehouse}: run the load and `dbt build` first")
    if destination.is_dir():
        raise PublishError(f"MARTS_PATH {destination} is a folder: set it to a file, e.g. {destination}/marts.duckdb")
    started = time.monotonic()
    staging = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        row_counts, left_out = _write_copy(warehouse, staging, models)
        staging.chmod(READ_ONLY)
        durable_replace(staging, destination)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise PublishError(
            f"cannot write {destination} ({reason}): set MARTS_PATH to a file in a writable folder"
        ) from None
    finally:
        for leftover in database_files(staging):
            # An unwritable MARTS_PATH (a file as its folder) makes the unlink fail too: keep the first error.
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    return Publication(destination, row_counts, time.monotonic() - started, left_out)


def _write_copy(
    warehouse: Path, staging: Path, models: Collection[str] | None
) -> tuple[dict[str, int], tuple[str, ...]]:
    """Fill a new DuckDB file with the marts; returns each table's row count and the relations left out."""
    staging.unlink(missing_ok=True)
    with _attached_warehouse(staging, warehouse) as (connection, source):
        relations = _relations(connection, source)
        names = relations if models is None else [name for name in relations if name in models]
        if not names:
            raise PublishError(f"schema {PUBLISHED_SCHEMA} of {warehouse} has no tables: did `dbt build` run?")
        row_counts: dict[str, int] = {}
        for name in names:
            # Views are materialised: what they read stays behind in the warehouse.
            connection.execute(
                f"create table main.{quote(name)} as select * from {quote(source)}.{PUBLISHED_SCHEMA}.{quote(name)}"
            )
            row_counts[name] = _scalar(connection, f"select count(*) from main.{quote(name)}")
        connection.execute(f"create schema {METADATA_SCHEMA}")
        connection.execute(
            f"create table {METADATA_SCHEMA}.publication as"
            " select unnest($tables) as table_name, cast(unnest($counts) as bigint) as row_count,"
            " $warehouse as source_warehouse, now() as published_at",
            {"tables": names, "counts": list(row_counts.values()), "warehouse": str(warehouse)},
        )
    return row_counts, tuple(name for name in relations if name not in names)


@contextmanager
def _attached_warehouse(staging: Path, warehouse: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, str]]:
    """A connection to the new file with the warehouse attached read-only under dbt's catalog name.

    dbt-duckdb names the catalog after the warehouse file's stem and writes views with fully qualified names,
    so attaching under that name lets views in `marts` resolve.
    """
    source = warehouse.stem
    connection = duckdb.connect(str(staging), config={"storage_compatibility_version": PUBLISHED_STORAGE_VERSION})
    try:
        connection.execute(f"attach {literal(str(warehouse))} as {quote(source)} (read_only)")
        yield connection, source
        connection.execute(f"detach {quote(source)}")
        connection.execute("checkpoint")
    finally:
        connection.close()


def _relations(connection: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = connection.execute(
        "select table_name from information_schema.tables"
        " where table_catalog = ? and table_schema = ? order by table_name",
        [catalog, PUBLISHED_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def models_in_marts(manifest: Path) -> set[str] | None:
    """The relations dbt builds in schema marts (models, and any seed or snapshot there), per a dbt manifest (None
    when there is none)."""
    if not manifest.is_file():
        return None
    try:
        nodes = json.loads(manifest.read_text())["nodes"].values()
    except (OSError, ValueError, KeyError) as error:
        raise PublishError(f"cannot read the dbt manifest {manifest} ({error}): run `dbt build` again") from None
    return {
        node.get("alias") or node["name"]
        for node in nodes
        if node["resource_type"] in ("model", "snapshot", "seed")
        and node["schema"] == PUBLISHED_SCHEMA
        and node["config"].get("materialized") != "ephemeral"
    }


def default_manifest() -> Path:
    """The manifest of the last dbt command, where dbt writes it (`DBT_TARGET_PATH`, relative to the project)."""
    return REPO_ROOT / (os.environ.get("DBT_TARGET_PATH") or "target") / "manifest.json"


def _scalar(connection: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = connection.execute(sql).fetchone()
    return int(row[0]) if row else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m load.publish",
        description=f"Copy schema {PUBLISHED_SCHEMA} of the warehouse to the analysts' read-only file (atomic swap).",
    )
    parser.add_argument("--warehouse", type=Path, help="the dbt warehouse (default: $WAREHOUSE_PATH)")
    parser.add_argument("--to", type=Path, dest="destination", help="the published file (default: $MARTS_PATH)")
    parser.add_argument(
        "--manifest",
        type=Path,
        help="the dbt manifest naming the models to publish (default: $DBT_TARGET_PATH/manifest.json; without one, "
        f"every relation of schema {PUBLISHED_SCHEMA})",
    )
    args = parser.parse_args(argv)
    warehouse = (args.warehouse or warehouse_path()).resolve()
    destination = (args.destination or marts_path()).resolve()
    try:
        publication = publish(warehouse, destination, models_in_marts(args.manifest or default_manifest()))
    except (PublishError, duckdb.Error) as error:
        print(f"error: nothing published: {error}", file=sys.stderr)
        return 2
    print(f"{publication.summary()} in {publication.seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
