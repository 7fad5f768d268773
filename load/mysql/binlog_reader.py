"""Read row changes for one database from the MySQL/MariaDB binary log, a transaction at a time.

File/position mode, never `is_mariadb=True`: python-mysql-replication 1.0 ignores `log_file`/`log_pos` with it
and replays the binlog from its start. Positions handed out are transaction ends (after COMMIT/XID or a DDL), the
only places a stream can resume from: a resumed rows event would lack the table map that precedes it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import pymysql
from pymysqlreplication import BinLogStreamReader
from pymysqlreplication.event import QueryEvent, RotateEvent, XidEvent
from pymysqlreplication.row_event import DeleteRowsEvent, RowsEvent, UpdateRowsEvent, WriteRowsEvent

from load.errors import LoadConfigError
from load.mysql.binlog_position import RESNAPSHOT_HINT, BinlogPosition
from load.mysql.connection import MySqlAddress, connection_arguments
from load.mysql.preflight import SharedTlsConnection
from load.mysql.row_images import row_images

Operation = Literal["insert", "update", "delete"]
ACCESS_DENIED_CODES = (1227, 1045)
LOG_NOT_FOUND = 1236  # "Could not find first log file name in binary log index file" (purged)
TRANSACTION_MARKERS = ("BEGIN", "COMMIT", "ROLLBACK")
# Statements that can change a table's shape or contents without row events. Others the binlog carries as
# statements (GRANT, ANALYZE TABLE, OPTIMIZE TABLE, FLUSH) must not trigger a re-copy of a large table.
DDL_STATEMENT = re.compile(r"^\s*(?:/\*.*?\*/\s*)*(?:ALTER|CREATE|DROP|RENAME|TRUNCATE)\b", re.IGNORECASE | re.DOTALL)
# Row changes of one transaction held in memory before a slice of it is handed on (bounded memory).
TRANSACTION_SLICE = 10_000


@dataclass(frozen=True)
class RowChange:
    table: str  # as declared in strategy.py (lower case)
    operation: Operation
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    position: BinlogPosition  # end of the rows event that carried it
    row_index: int  # its place inside that event


@dataclass
class Transaction:
    """The row changes of one committed transaction on the watched tables, in binlog order.

    `end` is None for a slice of a transaction too large to hold in memory; its last slice has the end.
    `ddl_tables` names watched tables a DDL statement changed (their copies must be re-snapshotted).
    """

    changes: list[RowChange]
    committed_at: datetime
    end: BinlogPosition | None
    ddl_tables: frozenset[str] = field(default_factory=frozenset)


def connection_settings(credentials: MySqlAddress) -> dict[str, Any]:
    return connection_arguments(credentials, database=None)


def _reader(credentials: MySqlAddress, **options: Any) -> BinLogStreamReader:
    return BinLogStreamReader(
        connection_settings=connection_settings(credentials),
        # A replica id of its own per connection: two readers with one id make the server drop the first.
        server_id=random.randint(100_000, 2**31 - 1),
        blocking=False,  # stop at the end of the binlog instead of waiting for more
        enable_logging=False,
        pymysql_wrapper=SharedTlsConnection,
        **options,
    )


def probe_binlog_dump(credentials: MySqlAddress) -> bool:
    """True when the user may stream the binlog (REPLICATION SLAVE); reads nothing but the stream header."""
    stream = _reader(credentials, only_events=[RotateEvent])
    try:
        stream.fetchone()
        return True
    except pymysql.err.MySQLError as error:
        if error.args and error.args[0] in ACCESS_DENIED_CODES:
            return False
        raise
    finally:
        stream.close()


def read_transactions(
    credentials: MySqlAddress,
    tables: tuple[str, ...],
    start: BinlogPosition,
    max_buffered: int = TRANSACTION_SLICE,
) -> Iterator[Transaction]:
    """Transactions after `start` touching `tables` of the credentials' database, until the end of the binlog.

    Transactions on other tables or databases still come out (empty), so the position keeps up with them.
    """
    schema = credentials.database
    watched = {table.lower(): table for table in tables}
    stream = _reader(
        credentials,
        log_file=start.file,
        log_pos=start.pos,
        resume_stream=True,
        only_schemas=[schema],  # rows of other databases are skipped unparsed
        only_events=[WriteRowsEvent, UpdateRowsEvent, DeleteRowsEvent, XidEvent, QueryEvent],
    )
    changes: list[RowChange] = []
    try:
        for event in _events(stream, start, schema):
            position = BinlogPosition(stream.log_file, event.packet.log_pos)
            event_time = datetime.fromtimestamp(event.timestamp, tz=UTC)
            if isinstance(event, RowsEvent):
                table = watched.get(event.table.lower())
                if table is not None:
                    changes.extend(_row_changes(event, table, position))
                if len(changes) >= max_buffered:
                    yield Transaction(changes, committed_at=event_time, end=None)
                    changes = []
            elif isinstance(event, XidEvent):
                yield Transaction(changes, committed_at=event_time, end=position)
                changes = []
            elif isinstance(event, QueryEvent):
                query = _text(event.query).strip()
                if query.upper() == "BEGIN":
                    continue
                ddl = (
                    frozenset() if query.upper() in TRANSACTION_MARKERS else _ddl_tables(query, event, schema, watched)
                )
                yield Transaction(changes, committed_at=event_time, end=position, ddl_tables=ddl)
                changes = []
    finally:
        stream.close()


def _events(stream: BinLogStreamReader, start: BinlogPosition, where: str) -> Iterator[Any]:
    """The stream's events; a start position the server no longer has becomes the re-snapshot error."""
    try:
        yield from stream
    except pymysql.err.OperationalError as error:
        if error.args[0] != LOG_NOT_FOUND:
            raise
        raise LoadConfigError(
            f"the binlog position {start} of database {where} is no longer on the server (purged): "
            f"take a new snapshot: {RESNAPSHOT_HINT}"
        ) from error


def _row_changes(event: RowsEvent, table: str, position: BinlogPosition) -> Iterator[RowChange]:
    operation: Operation = (
        "insert" if isinstance(event, WriteRowsEvent) else "delete" if isinstance(event, DeleteRowsEvent) else "update"
    )
    for index, (before, after) in enumerate(row_images(event)):
        yield RowChange(table, operation, before, after, position, index)


def _ddl_tables(query: str, event: QueryEvent, schema: str, watched: dict[str, str]) -> frozenset[str]:
    """Watched tables a statement names in our database (qualified, or unqualified with our default db).

    Generous on purpose: a false match only costs one table re-snapshot."""
    if not DDL_STATEMENT.match(query):
        return frozenset()
    default_db = _text(event.schema)
    hits = set()
    for lower, table in watched.items():
        for match in re.finditer(rf"(?:`?(\w+)`?\s*\.\s*)?`?\b{re.escape(lower)}\b`?", query, re.IGNORECASE):
            if (match.group(1) or default_db).lower() == schema.lower():
                hits.add(table)
    return frozenset(hits)


def _text(value: str | bytes | None) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else (value or "")
