"""Renames that survive a crash: a file's bytes reach the disk before it takes its final name, and the folder's
entry after it, so a power loss cannot leave the new name on a torn file."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: str | Path) -> None:
    """Flush a file, or a directory entry after a rename."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def database_files(database: Path) -> tuple[Path, Path]:
    """A DuckDB file and its write-ahead log beside it (a log left with a file belongs to that file only)."""
    return database, database.with_name(database.name + ".wal")


def durable_replace(written: str | Path, path: str | Path) -> None:
    """Give the finished file `written` the name `path` (same folder), durably."""
    fsync_path(written)
    os.replace(written, path)
    fsync_path(Path(path).parent)
