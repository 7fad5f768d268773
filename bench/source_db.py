"""The benchmark's own MariaDB database per scale: built with the generator's server-side bulk path."""

from __future__ import annotations

import logging
import time

import pymysql

from bench.settings import Scale, admin_url
from demo.classicmodels import create_demo, day_tick
from load.local_services import setting
from load.mysql.connection import open_connection

log = logging.getLogger("bench")
SEED = 42
ATTEMPTS = 3


def admin() -> pymysql.connections.Connection:
    return open_connection(admin_url(setting("MARIADB_DATABASE")), database=None, autocommit=True)


def build(scale: Scale, reuse: bool = False) -> tuple[dict[str, int], float]:
    """(Re)create the scale's database, let the loader user read it; row counts and seconds taken.
    With `reuse`, a database kept by an earlier `--keep` run is used as it is (day ticks included)."""
    started = time.perf_counter()
    if reuse and (kept := _kept_counts(scale)):
        log.info("bench: reusing %s as kept: %s", scale.database, kept)
        return kept, 0.0
    for attempt in range(1, ATTEMPTS + 1):
        drop(scale)
        try:
            counts = create_demo(admin_url(scale.database), scale=scale.scale_factor, seed=SEED)
            break
        except pymysql.err.InternalError as error:
            # Seen on the shared machine: another process removed a server temp file under /tmp mid-query.
            if attempt == ATTEMPTS:
                raise
            log.warning("bench: building %s failed (%s); trying again", scale.database, error)
    loader = f"'{setting('MARIADB_LOADER_USER')}'@'{setting('MARIADB_HOST')}'"
    with admin() as connection, connection.cursor() as cursor:
        cursor.execute(f"GRANT SELECT ON `{scale.database}`.* TO {loader}")
    seconds = time.perf_counter() - started
    log.info("bench: %s built at SF %g in %.0f s: %s", scale.database, scale.scale_factor, seconds, counts)
    return counts, seconds


def _kept_counts(scale: Scale) -> dict[str, int]:
    """Row counts of the scale's kept database, or nothing when it is missing or not fully built."""
    with admin() as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_type = 'BASE TABLE'",
            (scale.database,),
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM `{scale.database}`.`{table}`")
            counts[table] = int(cursor.fetchone()[0])
    complete = counts.get("orderdetails", 0) >= scale.rows * 0.95  # a build stopped half-way is not reused
    return counts if complete else {}


def tick(scale: Scale, seed: int) -> str:
    """One simulated business day (about 0.1% of the order lines new or changed)."""
    return day_tick(admin_url(scale.database), seed=seed).summary()[:120]


def count(scale: Scale, table: str) -> int:
    with admin() as connection, connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM `{scale.database}`.`{table}`")
        return int(cursor.fetchone()[0])


def drop(scale: Scale) -> None:
    with admin() as connection, connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{scale.database}`")
