"""Check the MySQL connection, grants and tables before loading, so errors name what to fix."""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import pymysql

from load.errors import LoadConfigError
from load.mysql.connection import DEFAULT_PORT, MySqlAddress, open_connection
from load.mysql.strategy import strategy_for

if TYPE_CHECKING:
    from dlt.common.configuration.specs import ConnectionStringCredentials

CREDENTIALS_HINT = "SOURCES__MYSQL__CREDENTIALS (or [sources.mysql] credentials in .dlt/secrets.toml)"

# pymysql error codes we translate; any other error keeps the server's own message.
ACCESS_DENIED, DB_ACCESS_DENIED, UNKNOWN_DATABASE, TABLE_ACCESS_DENIED, NO_SUCH_TABLE = 1045, 1044, 1049, 1142, 1146
CANNOT_CONNECT = (2003, 2005, 2013)


def parse_credentials(url: str) -> ConnectionStringCredentials:
    from dlt.common.configuration.specs import ConnectionStringCredentials
    from dlt.common.libs.sql_alchemy_shims import make_url

    try:
        # dlt's copy of SQLAlchemy's URL parser: parsing the URL text itself (ConnectionStringCredentials(url))
        # imports SQLAlchemy, a fifth of the start-up of a run that never reflects a table.
        parts = {name: value for name, value in make_url(url)._asdict().items() if value is not None}
        credentials = ConnectionStringCredentials({**parts, "query": dict(parts.get("query") or {})})
    except Exception as error:  # a malformed URL raises several types
        raise LoadConfigError(f"MySQL credentials are not a valid URL: set {CREDENTIALS_HINT}") from error
    if not credentials.database:
        raise LoadConfigError(f"MySQL URL names no database (…/classicmodels): fix {CREDENTIALS_HINT}")
    return credentials


def describe(credentials: MySqlAddress) -> str:
    return f"{credentials.host}:{credentials.port or DEFAULT_PORT}/{credentials.database}"


class SharedTlsConnection(pymysql.connections.Connection):
    """pymysql's connection, with one TLS context for all connections in its default mode (TLS when the server
    offers it): pymysql builds one per connection, loading the system's CA certificates each time (~20 ms of CPU),
    and a CDC run opens five to eight connections. Explicit TLS settings keep pymysql's own handling."""

    _default_tls: ClassVar[ssl.SSLContext | None] = None

    def _create_ssl_ctx(self, sslp: Any) -> ssl.SSLContext:
        if sslp:
            return super()._create_ssl_ctx(sslp)
        if SharedTlsConnection._default_tls is None:
            SharedTlsConnection._default_tls = super()._create_ssl_ctx(sslp)
        return SharedTlsConnection._default_tls


def connect(credentials: MySqlAddress) -> pymysql.connections.Connection:
    where = describe(credentials)
    try:
        return open_connection(credentials, SharedTlsConnection)
    except pymysql.err.OperationalError as error:
        code = error.args[0]
        if code == ACCESS_DENIED:
            message = f"MySQL at {where} refused user '{credentials.username}': check {CREDENTIALS_HINT}"
        elif code == DB_ACCESS_DENIED:  # MySQL answers so for a database that does not exist, too
            message = _unusable_database(credentials)
        elif code == UNKNOWN_DATABASE:
            message = f"database '{credentials.database}' does not exist on {where}: fix {CREDENTIALS_HINT}"
        elif code in CANNOT_CONNECT:
            message = f"cannot reach MySQL at {where}: is the server up (make services-up)? {CREDENTIALS_HINT}"
        else:
            message = f"MySQL at {where}: {error.args[-1]}"
        raise LoadConfigError(message) from error


def _unusable_database(credentials: MySqlAddress) -> str:
    """MySQL denies a database the user has no grant on and one that does not exist alike: list the ones the
    user can see, so a typo is obvious."""
    try:
        with open_connection(credentials, database=None) as connection, connection.cursor() as cursor:
            cursor.execute("SHOW DATABASES")
            visible = [name for (name,) in cursor.fetchall() if name != "information_schema"]
    except pymysql.err.MySQLError:
        visible = []
    return (
        f"database '{credentials.database}' does not exist on {credentials.host}:{credentials.port or DEFAULT_PORT} "
        f"(or user '{credentials.username}' has no grant on it; databases it can read: "
        f"{', '.join(visible) or 'none'}): fix the database in {CREDENTIALS_HINT}, "
        f"or GRANT SELECT ON `{credentials.database}`.* TO it"
    )


def check_source(credentials: MySqlAddress, tables: tuple[str, ...]) -> None:
    """Raise LoadConfigError unless every table exists and is readable by the configured user.

    Each table is probed with a SELECT: information_schema lists only the tables a user may read, so it cannot
    tell a missing table from a missing grant."""
    missing, denied = [], []
    with connect(credentials) as connection, connection.cursor() as cursor:
        for table in tables:
            try:
                cursor.execute(f"SELECT 1 FROM `{table}` LIMIT 0")
            except (pymysql.err.OperationalError, pymysql.err.ProgrammingError) as error:
                if error.args[0] == NO_SUCH_TABLE:
                    missing.append(table)
                elif error.args[0] == TABLE_ACCESS_DENIED:
                    denied.append(table)
                else:
                    raise
    where = describe(credentials)
    if denied:
        raise LoadConfigError(
            f"user '{credentials.username}' lacks SELECT on {', '.join(denied)} in {where}: "
            f"GRANT SELECT ON {credentials.database}.* TO the loader user"
        )
    if missing:
        raise LoadConfigError(
            f"missing table(s) {', '.join(missing)} in {where}: restore them if they were dropped, or point "
            f"{CREDENTIALS_HINT} at the classicmodels database (python -m demo create makes one)"
        )


def check_keys(cursor: pymysql.cursors.Cursor, tables: Sequence[str], where: str) -> None:
    """Raise LoadConfigError unless each table still has its declared key columns (load/mysql/strategy.py) and a
    primary or unique key within them: merges by that key would otherwise fold distinct rows into one."""
    for table in tables:
        declared = strategy_for(table).primary_key
        cursor.execute(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s",
            (table,),
        )
        columns = {row[0].lower() for row in cursor.fetchall()}
        missing = [column for column in declared if column.lower() not in columns]
        cursor.execute(
            "SELECT INDEX_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX), MAX(NULLABLE = 'YES')"
            " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s"
            " AND NON_UNIQUE = 0 GROUP BY INDEX_NAME",
            (table,),
        )
        keys = {index: (names.split(","), bool(nullable)) for index, names, nullable in cursor.fetchall()}
        wanted = {column.lower() for column in declared}
        if not missing and any(
            not nullable and {n.lower() for n in names} <= wanted for names, nullable in keys.values()
        ):
            continue
        now = f"its primary key is ({', '.join(keys['PRIMARY'][0])})" if "PRIMARY" in keys else "it has no primary key"
        lost = f"lacks column(s) {', '.join(missing)} and " if missing else ""
        raise LoadConfigError(
            f"table {table} in {where} {lost}has no unique key within the key the loader merges on "
            f"({', '.join(declared)}; {now}): restore that key at the source, or declare the new one in "
            "load/mysql/strategy.py, then run python -m load run mysql --resnapshot"
        )
