"""A pymysql connection from a MySQL URL, SQLAlchemy URL or dlt credentials: one place for the defaults."""

from __future__ import annotations

from typing import Any, Protocol

import pymysql

DEFAULT_PORT = 3306
CONNECT_TIMEOUT_SECONDS = 10


class MySqlAddress(Protocol):
    """What a SQLAlchemy URL and dlt's ConnectionStringCredentials both have."""

    host: str | None
    port: int | None
    username: str | None
    password: str | None
    database: str | None


def connection_arguments(address: MySqlAddress | str, **options: Any) -> dict[str, Any]:
    """pymysql's keyword arguments for `address` (a URL text or object); `options` add or override them
    (`database=None`: connect to no database). Unset values are left out: pymysql's own defaults apply."""
    if isinstance(address, str):
        # Imported here: a run that brings its own parsed address (load/mysql/unchanged.py) never imports dlt.
        from dlt.common.libs.sql_alchemy_shims import make_url

        address = make_url(address)
    parsed: MySqlAddress = address
    arguments = {
        "host": parsed.host,
        "port": int(parsed.port or DEFAULT_PORT),
        "user": parsed.username,
        "password": parsed.password or "",
        "database": parsed.database,
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        **options,
    }
    return {name: value for name, value in arguments.items() if value is not None}


def open_connection(
    address: MySqlAddress | str,
    connection_class: type[pymysql.connections.Connection] = pymysql.connections.Connection,
    **options: Any,
) -> pymysql.connections.Connection:
    """A connection to `address`; pymysql's errors propagate for the caller to word."""
    return connection_class(**connection_arguments(address, **options))
