"""The local MariaDB for tests: an admin connection and throwaway databases the loader user may read."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pymysql

from load.local_services import mysql_url, setting
from load.mysql.connection import open_connection


def admin_connection(database: str | None = None) -> pymysql.connections.Connection:
    return open_connection(
        mysql_url("MARIADB_ADMIN_USER", "MARIADB_ADMIN_PASSWORD"), database=database, autocommit=True
    )


@contextmanager
def private_database(prefix: str) -> Iterator[str]:
    """A new, empty database the loader user may read; dropped (and its grant revoked) afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    loader = f"'{setting('MARIADB_LOADER_USER')}'@'{setting('MARIADB_HOST')}'"
    with admin_connection() as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        cursor.execute(f"GRANT SELECT ON `{name}`.* TO {loader}")
    try:
        yield name
    finally:
        with admin_connection() as connection, connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            revoke_grants_on(cursor, name)


def revoke_grants_on(cursor: pymysql.cursors.Cursor, database: str) -> None:
    """Dropping a database keeps the grants on it and its tables: revoke them, so accounts collect no stale ones."""
    cursor.execute(
        "SELECT 'db', User, Host, '' FROM mysql.db WHERE Db = %s"
        " UNION ALL SELECT 'table', User, Host, Table_name FROM mysql.tables_priv WHERE Db = %s",
        (database, database),
    )
    for level, user, host, table in cursor.fetchall():
        target = f"`{database}`.*" if level == "db" else f"`{database}`.`{table}`"
        cursor.execute(f"REVOKE ALL PRIVILEGES ON {target} FROM %s@%s", (user, host))
