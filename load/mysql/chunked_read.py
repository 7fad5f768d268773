"""A whole MySQL table as Arrow batches with bounded memory: connectorx reads it in key-range chunks.

connectorx's `arrow_stream` reads its whole result as fast as the server sends it, buffering what the consumer
has not taken yet: a consumer slower than the reader (DuckDB casting and compressing a wide table) would end up
holding most of a large table. So a table larger than one chunk is read as consecutive ranges of its integer key,
each range's statement started when the previous one is used up: at most one chunk waits in memory, whatever the
table's size. (Starting the next range early overlaps nothing on a busy 2-core machine and holds two chunks:
measured at 10M rows, +90 MB for no speed-up.) Chunks are separate statements, not one snapshot; whole copies do
not need one (a CDC snapshot is made consistent by replaying the binlog from a position taken before the copy;
see job.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import connectorx as cx
import pyarrow as pa

BATCHES_PER_CHUNK = 20  # a chunk is this many connectorx batches (batch_size rows each)


def connectorx_url(url: str) -> str:
    return url.replace("mysql+pymysql://", "mysql://", 1)


def key_ranges(low: int, high: int, rows: int, chunk_rows: int) -> list[tuple[int, int]]:
    """Half-open ranges [start, end) covering low..high, about `chunk_rows` rows each if keys are spread evenly."""
    chunks = max(1, -(-rows // chunk_rows))
    step = max(1, -(-(high - low + 1) // chunks))
    return [(start, min(start + step, high + 1)) for start in range(low, high + 1, step)]


def table_batches(url: str, table: str, key: str | None, batch_size: int) -> pa.RecordBatchReader:
    """Every row of `table`; `key` is an integer primary-key column to read it in ranges of (None: one statement)."""
    source = connectorx_url(url)
    queries = [f"SELECT * FROM `{table}`"]
    if key is not None:
        queries = range_queries(source, table, key, batch_size * BATCHES_PER_CHUNK) or queries
    first = _read(source, queries[0], batch_size)
    return pa.RecordBatchReader.from_batches(first.schema, _in_turn(source, first, queries[1:], batch_size))


def range_queries(source: str, table: str, key: str, chunk_rows: int) -> list[str]:
    bounds = cx.read_sql(
        source,
        f"SELECT MIN(`{key}`) AS low, MAX(`{key}`) AS high, "
        f"(SELECT TABLE_ROWS FROM information_schema.TABLES "
        f"WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}') AS estimated_rows FROM `{table}`",
        return_type="arrow",
    ).to_pylist()[0]
    low, high, rows = bounds["low"], bounds["high"], bounds["estimated_rows"] or 0
    if low is None or rows <= chunk_rows:
        return []  # empty or small: one statement
    ranges = key_ranges(int(low), int(high), int(rows), chunk_rows)
    queries = [f"SELECT * FROM `{table}` WHERE `{key}` >= {start} AND `{key}` < {end}" for start, end in ranges]
    # The last range is open: keys added above `high` while the copy runs are read too.
    queries[-1] = f"SELECT * FROM `{table}` WHERE `{key}` >= {ranges[-1][0]}"
    return queries


def _read(source: str, query: str, batch_size: int) -> pa.RecordBatchReader:
    return cx.read_sql(source, query, return_type="arrow_stream", batch_size=batch_size)


def _in_turn(source: str, first: pa.RecordBatchReader, queries: list[str], batch_size: int) -> Iterator[pa.RecordBatch]:
    yield from first
    for query in queries:
        yield from _read(source, query, batch_size)
