"""Writing to the lake: parquet through pyarrow, JSON manifests; each file appears whole or not at all."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from load.lake.location import Lake, LakeAccessError

MANIFESTS_FOLDER = "_manifests"
MANIFEST_SUFFIX = ".json"


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


def check_writable(lake: Lake, dataset: str) -> None:
    """Raise when the lake cannot take files: before a run loads anything, not after it committed."""
    with lake_access(lake):
        if "file" in _protocols(lake.fs):
            lake.fs.makedirs(lake.path(dataset, MANIFESTS_FOLDER), exist_ok=True)
        else:
            lake.fs.info(lake.root.split("/", 1)[0])  # the bucket: missing, refused or unreachable all raise


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
    with lake_access(lake), _whole_file(lake, manifest_path(lake, dataset, manifest["load_id"])) as file:
        file.write(text)


def write_parquet(lake: Lake, relative_path: str, batches: pa.RecordBatchReader) -> int:
    """Every batch of `batches` into one parquet file (written even with no rows: it carries the columns)."""
    rows = 0
    with (
        lake_access(lake),
        _whole_file(lake, lake.path(relative_path)) as file,
        pq.ParquetWriter(file, batches.schema) as writer,
    ):
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


class _whole_file:
    """A file opened for writing that becomes visible under `path` only once closed without error.

    Object stores make an upload visible only when it completes; on a local disk the file is written under a
    temporary name and renamed, so a reader (or a rerun after kill -9) never meets half a file."""

    def __init__(self, lake: Lake, path: str) -> None:
        self.lake = lake
        self.path = path
        self.local = "file" in _protocols(lake.fs)
        # One writer at a time (the warehouse lock): a killed run's leftover is overwritten by the rerun's export.
        self.written = f"{path}.tmp" if self.local else path

    def __enter__(self) -> Any:
        self.lake.fs.makedirs(self.path.rsplit("/", 1)[0], exist_ok=True)
        self.file = self.lake.fs.open(self.written, "wb")
        return self.file

    def __exit__(self, error_type: Any, error: Any, traceback: Any) -> None:
        if error_type is not None and not self.local and hasattr(self.file, "discard"):
            self.file.discard()  # an object store's upload, abandoned: nothing appears
            return
        self.file.close()
        if not self.local:
            return
        if error_type is None:
            os.replace(self.written, self.path)
        else:
            self.lake.fs.rm(self.written)


def _protocols(fs: Any) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)
