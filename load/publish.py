"""Publish the marts to the analysts' read-only DuckDB file: `python -m load.publish`.

DuckDB allows one writer or many readers per file, so analysts never open the warehouse itself: an open session
would block the next load or see a half-built state. After a successful `dbt build` (scripts/build.sh), every table
and view of schema `marts` is copied into a new file beside the published one, which is then swapped in with one
atomic `os.replace`. A reader that has the old file open keeps reading its inode, a consistent snapshot of the
previous build, and never blocks the swap; its next connection sees the new build. A failure before the swap leaves
the published file untouched.

In the published file the marts live in the default schema `main` (a schema named like the file's catalog, `marts`,
would make `marts.<table>` ambiguous), so `select * from marts.fct_order_lines` works the same against the warehouse
and against `warehouse/marts.duckdb`. Table `meta.publication` lists what was published, with row counts and when.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from load.config import marts_path, warehouse_path
from load.durable_files import database_files, durable_replace
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

    def summary(self) -> str:
        rows = sum(self.row_counts.values())
        return f"published {len(self.row_counts)} tables ({rows} rows) of schema {PUBLISHED_SCHEMA} to {self.path}"


def publish(warehouse: Path, destination: Path) -> Publication:
    """Copy schema `marts` of the warehouse into `destination`, atomically replacing the previous copy."""
    if not warehouse.is_file():
        raise PublishError(f"no warehouse at {warehouse}: run the load and `dbt build` first")
    if destination.is_dir():
        raise PublishError(f"MARTS_PATH {destination} is a folder: set it to a file, e.g. {destination}/marts.duckdb")
    started = time.monotonic()
    staging = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        row_counts = _write_copy(warehouse, staging)
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
    return Publication(destination, row_counts, time.monotonic() - started)


def _write_copy(warehouse: Path, staging: Path) -> dict[str, int]:
    """Fill a new DuckDB file with the marts; returns each table's row count."""
    staging.unlink(missing_ok=True)
    with _attached_warehouse(staging, warehouse) as (connection, source):
        names = _relations(connection, source)
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
    return row_counts


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
    args = parser.parse_args(argv)
    warehouse = (args.warehouse or warehouse_path()).resolve()
    destination = (args.destination or marts_path()).resolve()
    try:
        publication = publish(warehouse, destination)
    except (PublishError, duckdb.Error) as error:
        print(f"error: nothing published: {error}", file=sys.stderr)
        return 2
    print(f"{publication.summary()} in {publication.seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
