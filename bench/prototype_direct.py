"""Prototype (not the loader): connectorx's Arrow batches streamed straight into DuckDB, no files in between.

    python -m bench.prototype_direct URL TABLE DUCKDB_FILE

What our loader does today per full load: connectorx -> Arrow batches -> dlt writes parquet files (extract) ->
dlt moves them (normalize) -> DuckDB reads the files (load): three passes, one after the other. Here DuckDB
scans the connectorx RecordBatchReader while connectorx is still reading (one pass, overlapped), and the table
comes out as the loader makes it: dlt's snake_case column names and a `_dlt_load_id`. Memory stays bounded by
the batch size (DuckDB pulls batch by batch).
"""

from __future__ import annotations

import sys
import time

import connectorx as cx
import duckdb
from dlt.common.normalizers.naming.snake_case import NamingConvention

DATASET = "raw_classicmodels"


def load(url: str, table: str, duckdb_file: str, batch_size: int = 100_000) -> int:
    reader = cx.read_sql(
        url.replace("mysql+pymysql://", "mysql://"),
        f"SELECT * FROM `{table}`",
        return_type="arrow_stream",
        batch_size=batch_size,
    )
    naming = NamingConvention()
    columns = ", ".join(f'"{name}" AS "{naming.normalize_identifier(name)}"' for name in reader.schema.names)
    load_id = f"{time.time():.6f}"
    target = f'{DATASET}."{naming.normalize_table_identifier(table)}"'
    with duckdb.connect(duckdb_file) as connection:
        connection.register("source_batches", reader)
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {DATASET}")
        connection.execute(
            f"CREATE OR REPLACE TABLE {target} AS SELECT {columns}, '{load_id}' AS _dlt_load_id FROM source_batches"
        )
        return int(connection.execute(f"SELECT COUNT(*) FROM {target}").fetchone()[0])


if __name__ == "__main__":
    print(load(*sys.argv[1:4]))
