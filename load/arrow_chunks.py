"""Arrow tables per destination table, handed on in chunks of many rows. Shared by the stream sources.

A stream is read in consumer-sized batches (thousands of records), but dlt does a fixed amount of work for every
item a resource yields (the table's schema worked out and checked again, a parquet write): items of a hundred
thousand rows pay it once where tens of small batches paid it each time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyarrow as pa

CHUNK_ROWS = 100_000


def in_chunks(batches: Iterable[dict[str, pa.Table]], rows: int = CHUNK_ROWS) -> Iterator[tuple[str, pa.Table]]:
    """(table name, rows) of `batches` (each a table per name), a name's rows handed on once they number `rows`,
    and whatever is left at the end. Rows keep their order; concatenating copies nothing."""
    held: dict[str, list[pa.Table]] = {}
    for tables in batches:
        for name, table in tables.items():
            held.setdefault(name, []).append(table)
            if sum(part.num_rows for part in held[name]) >= rows:
                yield name, pa.concat_tables(held.pop(name))
    for name, parts in held.items():
        yield name, pa.concat_tables(parts)
