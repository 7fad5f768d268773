"""Writing to the lake: parquet written by DuckDB, JSON manifests; each file appears whole or not at all."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from load.duckdb_settings import settings_for_a_while
from load.durable_files import durable_replace
from load.lake.location import Lake, LakeAccessError
from load.sql_names import literal

MANIFESTS_FOLDER = "_manifests"
MANIFEST_SUFFIX = ".json"
# zstd: a fifth smaller than snappy, written as fast. USE_TMP_FILE false: the file already has a temporary name.
PARQUET_OPTIONS = "FORMAT parquet, COMPRESSION zstd, USE_TMP_FILE false"
# A query and its parameters.
SqlQuery = tuple[str, list[Any]]


def manifest_path(lake: Lake, dataset: str, load_id: str) -> str:
    return lake.path(dataset, MANIFESTS_FOLDER, f"{load_id}{MANIFEST_SUFFIX}")


def data_file(dataset: str, table: str, load_date: str, load_id: str) -> str:
    """A load's file of `table`, relative to the lake's root."""
    return f"{dataset}/{table}/load_date={load_date}/{load_id}.parquet"


@contextmanager
def lake_access(lake: Lake) -> Iterator[None]:
    """Errors of the lake's filesystem as LakeAccessError (fsspec drivers raise their own: botocore's, aiohttp's);
    the warehouse's errors pass as they are."""
    try:
        yield
    except (LakeAccessError, duckdb.Error):
        raise
    except Exception as error:
        raise LakeAccessError(str(error) or type(error).__name__) from error


WRITE_CHECK = ".write-check"  # hidden: no reader of the lake lists it


def check_writable(lake: Lake, dataset: str) -> None:
    """Raise when the lake cannot take files: before a run loads anything, not after it committed. A file is
    written and removed where the manifests go (a bucket that exists but refuses writes to the credentials at
    hand raises too)."""
    with lake_access(lake):
        if "file" in _protocols(lake.fs):
            lake.fs.makedirs(lake.path(dataset, MANIFESTS_FOLDER), exist_ok=True)
        probe = lake.path(dataset, MANIFESTS_FOLDER, WRITE_CHECK)
        lake.fs.pipe_file(probe, b"")
        lake.fs.rm_file(probe)


def manifest_ids(lake: Lake, dataset: str) -> set[str]:
    """Load ids of the dataset's manifests (none when the folder does not exist yet)."""
    try:
        with lake_access(lake):
            names = lake.fs.ls(lake.path(dataset, MANIFESTS_FOLDER), detail=False)
    except LakeAccessError as error:
        if isinstance(error.__cause__, FileNotFoundError):
            return set()
        raise
    return {name.rsplit("/", 1)[-1].removesuffix(MANIFEST_SUFFIX) for name in names if name.endswith(MANIFEST_SUFFIX)}


def read_manifest(lake: Lake, dataset: str, load_id: str) -> dict[str, Any]:
    with lake_access(lake), lake.fs.open(manifest_path(lake, dataset, load_id), "rb") as file:
        return dict(json.load(file))


def write_manifest(lake: Lake, dataset: str, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=1, default=str).encode()
    with lake_access(lake), _local_copy(lake, manifest_path(lake, dataset, manifest["load_id"])) as local_path:
        Path(local_path).write_bytes(text)


def write_parquet(lake: Lake, relative_path: str, connection: duckdb.DuckDBPyConnection, query: SqlQuery) -> int:
    """The rows of `query` into one parquet file, written by DuckDB; the rows written. The file is written even
    with no rows: it carries the columns. DuckDB encodes row groups on every thread when it need not keep the rows'
    order (a load's rows are a set): 10M order lines in 1.3 s, where pyarrow writing DuckDB's batches took 2.2 s."""
    sql, parameters = query
    with (
        lake_access(lake),
        _local_copy(lake, lake.path(relative_path)) as local_path,
        settings_for_a_while(connection, {"preserve_insertion_order": False}),
    ):
        try:
            written = connection.execute(
                f"COPY ({sql}) TO {literal(local_path)} ({PARQUET_OPTIONS})", parameters
            ).fetchone()
        except duckdb.IOException as error:  # the file could not be written (disk full, no permission)
            raise LakeAccessError(str(error).splitlines()[0]) from error
    return int(written[0]) if written else 0


@contextmanager
def _local_copy(lake: Lake, path: str) -> Iterator[str]:
    """A local path to write the file at `path` to, which appears there whole once the block ends without error:
    on a local lake a temporary name beside it, renamed (a reader, or a rerun after kill -9, never meets half a
    file); on an object store a local temporary file, uploaded (an upload is visible only once complete)."""
    local = "file" in _protocols(lake.fs)
    folder, name = path.rsplit("/", 1)
    lake.fs.makedirs(folder, exist_ok=True)
    if local:
        # Hidden (a leading dot): Spark and Hive skip it when they list the folder. One writer at a time (the
        # warehouse lock): a killed run's leftover is overwritten by the rerun.
        written = f"{folder}/.{name}.tmp"
    else:
        handle, written = tempfile.mkstemp(suffix=f".{name}")
        os.close(handle)
    try:
        yield written
        if local:
            durable_replace(written, path)
        else:
            lake.fs.put_file(written, path)
    finally:
        if os.path.isfile(written):  # what a failed write left
            os.remove(written)


def _protocols(fs: Any) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)
