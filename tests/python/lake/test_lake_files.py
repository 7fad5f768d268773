"""Files written to the lake appear whole or not at all, on a local folder and on any other fsspec filesystem."""

from __future__ import annotations

from pathlib import Path

import duckdb
import fsspec
import fsspec.implementations.memory
import pyarrow.parquet as pq
import pytest

from load.lake.files import check_writable, read_manifest, write_manifest, write_parquet
from load.lake.location import Lake, LakeAccessError, open_lake

ROWS = "SELECT range AS id, 'line ' || range AS label FROM range(?)"
SETTING = "SELECT current_setting('preserve_insertion_order')"


def test_a_load_file_holds_the_querys_rows_and_settings_are_put_back(tmp_path: Path) -> None:
    lake = open_lake(str(tmp_path))
    with duckdb.connect() as connection:
        before = connection.execute(SETTING).fetchone()
        written = write_parquet(lake, "raw/lines/load_date=2026-12-07/1.5.parquet", connection, (ROWS, [250_000]))
        assert connection.execute(SETTING).fetchone() == before
    table = pq.read_table(tmp_path / "raw/lines/load_date=2026-12-07/1.5.parquet")
    assert written == table.num_rows == 250_000
    assert sorted(table.column("id").to_pylist()) == list(range(250_000))  # every row once, in any order
    assert [path.name for path in (tmp_path / "raw/lines/load_date=2026-12-07").iterdir()] == ["1.5.parquet"]


def test_an_empty_load_file_still_carries_the_columns(tmp_path: Path) -> None:
    with duckdb.connect() as connection:
        assert write_parquet(open_lake(str(tmp_path)), "raw/lines/empty.parquet", connection, (ROWS, [0])) == 0
    assert pq.read_schema(tmp_path / "raw/lines/empty.parquet").names == ["id", "label"]


def test_a_failed_write_leaves_no_file_and_no_leftover(tmp_path: Path) -> None:
    failing = "SELECT CAST('not a number' AS INTEGER) AS id FROM range(?)"
    with duckdb.connect() as connection, pytest.raises(duckdb.ConversionException):
        write_parquet(open_lake(str(tmp_path)), "raw/lines/1.5.parquet", connection, (failing, [10]))
    assert list((tmp_path / "raw/lines").iterdir()) == []


def test_files_reach_a_lake_duckdb_cannot_write_to_through_its_filesystem() -> None:
    memory = fsspec.filesystem("memory")
    lake = Lake(fs=memory, root="/lake-under-test", url="memory://lake-under-test")
    with duckdb.connect() as connection:
        assert write_parquet(lake, "raw/lines/1.5.parquet", connection, (ROWS, [1000])) == 1000
    write_manifest(lake, "raw", {"load_id": "1.5", "tables": {}})
    with memory.open("/lake-under-test/raw/lines/1.5.parquet", "rb") as file:
        assert pq.read_table(file).num_rows == 1000
    assert read_manifest(lake, "raw", "1.5") == {"load_id": "1.5", "tables": {}}
    memory.rm("/lake-under-test", recursive=True)


def test_a_file_duckdb_cannot_write_is_a_lake_error(tmp_path: Path) -> None:
    (tmp_path / "raw/lines/.1.5.parquet.tmp").mkdir(parents=True)  # the temporary name taken: the write fails
    with duckdb.connect() as connection, pytest.raises(LakeAccessError):
        write_parquet(open_lake(str(tmp_path)), "raw/lines/1.5.parquet", connection, (ROWS, [10]))
    assert not (tmp_path / "raw/lines/1.5.parquet").exists()


class _ReadOnlyMemory(fsspec.implementations.memory.MemoryFileSystem):
    """A bucket the credentials may read but not write (S3 answers such writes with AccessDenied)."""

    def pipe_file(self, path: str, value: bytes, *args: object, **kwargs: object) -> None:
        raise PermissionError(f"AccessDenied: PutObject {path}")


def test_a_lake_that_refuses_writes_is_found_before_a_load(tmp_path: Path) -> None:
    read_only = Lake(fs=_ReadOnlyMemory(), root="/read-only-lake", url="memory://read-only-lake")
    with pytest.raises(LakeAccessError, match="AccessDenied"):
        check_writable(read_only, "raw")
    writable = open_lake(str(tmp_path))
    check_writable(writable, "raw")
    assert list((tmp_path / "raw" / "_manifests").iterdir()) == []  # the check leaves nothing behind
