"""Can this server feed binlog CDC to this user? Every missing setting or grant, named with its fix."""

from __future__ import annotations

import pymysql
from pymysql.cursors import Cursor

from load.mysql.binlog_position import current_position
from load.mysql.binlog_reader import probe_binlog_dump
from load.mysql.connection import MySqlAddress
from load.mysql.preflight import connect, describe

ACCESS_DENIED_FOR_OPERATION = (1227, 1045, 1142, 1370)  # "you need (at least one of) the X privilege(s)"

# (variable, required value, how to set it)
REQUIRED_SETTINGS = (
    ("log_bin", "1", "start the server with log_bin (binary logging on)"),
    ("binlog_format", "ROW", "set binlog_format=ROW"),
    ("binlog_row_image", "FULL", "set binlog_row_image=FULL"),
    ("binlog_row_metadata", "FULL", "set binlog_row_metadata=FULL (MariaDB 10.5+ / MySQL 8.0.1+)"),
)


def cdc_problems(credentials: MySqlAddress) -> list[str]:
    """What stops binlog CDC for this user on this server; empty when CDC can run."""
    user = f"'{credentials.username}'"
    with connect(credentials) as connection, connection.cursor() as cursor:
        problems = _setting_problems(cursor)
        if problems:  # without a binlog the grants do not matter yet
            return problems
        try:
            current_position(cursor)
        except pymysql.err.OperationalError as error:
            if error.args[0] not in ACCESS_DENIED_FOR_OPERATION:
                raise
            problems.append(f"GRANT REPLICATION CLIENT ON *.* TO {user} (MariaDB 10.5+: BINLOG MONITOR)")
    if not problems and not probe_binlog_dump(credentials):
        problems.append(f"GRANT REPLICATION SLAVE ON *.* TO {user}")
    return problems


def _setting_problems(cursor: Cursor) -> list[str]:
    problems = []
    for variable, required, fix in REQUIRED_SETTINGS:
        cursor.execute("SHOW GLOBAL VARIABLES LIKE %s", (variable,))
        row = cursor.fetchone()
        value = "" if row is None else str(row[1]).upper()
        if value in ("ON", "1") and required == "1":
            continue
        if value != required:
            shown = "unsupported by this server version" if row is None else f"is {row[1]}"
            problems.append(f"{variable} {shown}: {fix}")
    return problems


def describe_problems(credentials: MySqlAddress, problems: list[str]) -> str:
    return f"MySQL at {describe(credentials)} cannot feed binlog CDC: " + "; ".join(problems)
