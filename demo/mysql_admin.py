"""Admin connections to the demo MariaDB: URL resolution and one-line errors a user can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pymysql
from sqlalchemy.engine import URL, make_url

from load.errors import LoadConfigError
from load.mysql.connection import open_connection

ADMIN_CREDENTIALS_KEY = "demo.mysql_admin_credentials"
LOCK_WAIT_SECONDS = 60
LOCK_WAIT_TIMEOUT = 1205


def admin_url(explicit_url: str | None) -> str:
    """The URL given on the command line, else dlt's `demo.mysql_admin_credentials`
    (`.dlt/secrets.toml` or `DEMO__MYSQL_ADMIN_CREDENTIALS`)."""
    if explicit_url:
        return explicit_url
    import dlt  # deferred: importing dlt costs a second and is only needed without --url

    configured = dlt.secrets.get(ADMIN_CREDENTIALS_KEY)
    if not configured or not isinstance(configured, str):
        raise LoadConfigError(
            f"no MariaDB admin URL: pass --url or set {ADMIN_CREDENTIALS_KEY} in .dlt/secrets.toml "
            "(or DEMO__MYSQL_ADMIN_CREDENTIALS)"
        )
    return configured


def parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except Exception as error:  # sqlalchemy raises ArgumentError and ValueError alike
        raise LoadConfigError("the MariaDB URL is not a URL like mysql+pymysql://user:pass@host:port/db") from error
    if not parsed.database:
        raise LoadConfigError(f"the MariaDB URL names no database: {safe_url(parsed)}")
    return parsed


def safe_url(parsed: URL) -> str:
    """The URL for messages: never the password."""
    return parsed.render_as_string(hide_password=True)


def connect(url: str, *, create_database: bool = False) -> pymysql.connections.Connection:
    """A transactional (autocommit off) connection to the URL's database, optionally creating it first."""
    parsed = parse_url(url)
    connection = _open(parsed, database=None if create_database else parsed.database)
    if create_database:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE IF NOT EXISTS `{parsed.database}` CHARACTER SET utf8mb4")
        connection.select_db(parsed.database)
    return connection


def _open(parsed: URL, database: str | None) -> pymysql.connections.Connection:
    try:
        return open_connection(
            parsed,
            host=parsed.host or "127.0.0.1",
            database=database,
            charset="utf8mb4",
            autocommit=False,
            connect_timeout=5,
            # DROP TABLE waits for readers' metadata locks (e.g. a running load): fail after a minute, not never.
            init_command=f"SET SESSION lock_wait_timeout = {LOCK_WAIT_SECONDS}",
        )
    except pymysql.err.MySQLError as error:
        reason = error.args[1] if len(error.args) > 1 else str(error)
        raise LoadConfigError(f"cannot connect to MariaDB at {safe_url(parsed)}: {reason}") from None


@contextmanager
def lock_timeouts_as_config_errors() -> Iterator[None]:
    """Another session holding the tables for longer than LOCK_WAIT_SECONDS is something to act on."""
    try:
        yield
    except pymysql.err.OperationalError as error:
        if error.args[0] != LOCK_WAIT_TIMEOUT:
            raise
        raise LoadConfigError(
            f"the demo tables stayed locked by another session for {LOCK_WAIT_SECONDS} s (a running load?)"
        ) from None
