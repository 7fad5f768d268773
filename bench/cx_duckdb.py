"""Floor: connectorx's Arrow batches into a DuckDB table in one statement, nothing else (no dlt, no state).

    python -m bench.cx_duckdb URL TABLE DUCKDB_FILE

The same one-pass copy our loader makes of a whole table (load/mysql/direct_copy.py), minus everything a
loader run adds around it (dlt import, state restored from the warehouse, reflection, schema and state commit):
the gap between this row and ours is that fixed cost.
"""

from __future__ import annotations

import sys

import connectorx as cx
import duckdb


def load(url: str, table: str, duckdb_file: str, batch_size: int = 100_000) -> int:
    reader = cx.read_sql(
        url.replace("mysql+pymysql://", "mysql://"),
        f"SELECT * FROM `{table}`",
        return_type="arrow_stream",
        batch_size=batch_size,
    )
    with duckdb.connect(duckdb_file) as connection:
        connection.register("source_batches", reader)
        connection.execute("CREATE SCHEMA IF NOT EXISTS raw_classicmodels")
        return int(
            connection.execute(f"CREATE TABLE raw_classicmodels.{table} AS SELECT * FROM source_batches").fetchone()[0]
        )


if __name__ == "__main__":
    print(load(*sys.argv[1:4]))
