"""Binlog positions: where a stream stands, where the server's binlog ends, and whether a saved one still exists."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pymysql
from pymysql.cursors import Cursor

from load.errors import LoadConfigError

PARSE_ERROR = 1064
RESNAPSHOT_HINT = "python -m load run mysql --resnapshot"


@dataclass(frozen=True)
class BinlogPosition:
    """A point in the server's binary log: file name and byte offset (the end of the last event read)."""

    file: str
    pos: int

    @property
    def sequence(self) -> int:
        """The numeric suffix of the file (binlog.000042 → 42): files sort by it, not by name."""
        match = re.search(r"(\d+)$", self.file)
        return int(match.group(1)) if match else 0

    def order(self) -> tuple[int, int]:
        return (self.sequence, self.pos)

    def __str__(self) -> str:
        return f"{self.file}:{self.pos}"

    def to_state(self) -> dict[str, Any]:
        return {"file": self.file, "pos": self.pos}

    @classmethod
    def from_state(cls, value: dict[str, Any]) -> BinlogPosition:
        return cls(file=str(value["file"]), pos=int(value["pos"]))


def current_position(cursor: Cursor) -> BinlogPosition | None:
    """The end of the server's binlog now (None when binary logging is off)."""
    try:
        cursor.execute("SHOW MASTER STATUS")
    except pymysql.err.ProgrammingError as error:
        if error.args[0] != PARSE_ERROR:  # MySQL 8.4 renamed it
            raise
        cursor.execute("SHOW BINARY LOG STATUS")
    row = cursor.fetchone()
    return BinlogPosition(file=row[0], pos=int(row[1])) if row else None


def binary_logs(cursor: Cursor) -> dict[str, int]:
    """The binlog files the server still has, with their sizes."""
    cursor.execute("SHOW BINARY LOGS")
    return {row[0]: int(row[1]) for row in cursor.fetchall()}


def check_still_available(cursor: Cursor, position: BinlogPosition, where: str) -> None:
    """Raise LoadConfigError, naming the re-snapshot command, when the server no longer has `position`."""
    files = binary_logs(cursor)
    oldest = min(files, key=lambda name: BinlogPosition(name, 0).sequence, default="none")
    if position.file not in files:
        raise LoadConfigError(
            f"the binlog position {position} this warehouse resumes from is gone from MySQL at {where} "
            f"(purged; the oldest binlog there is {oldest}), so changes since the last load cannot be read. "
            f"Take a new snapshot: {RESNAPSHOT_HINT} (or set SOURCES__MYSQL__RESNAPSHOT=true once)"
        )
    if position.pos > files[position.file]:
        raise LoadConfigError(
            f"the binlog position {position} is past the end of {position.file} on MySQL at {where} "
            f"(the binlog was reset?). Take a new snapshot: {RESNAPSHOT_HINT}"
        )
