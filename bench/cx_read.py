"""Floor: connectorx alone reading a table into Arrow (`python -m bench.cx_read URL TABLE [stream]`)."""

from __future__ import annotations

import sys

import connectorx as cx


def main(url: str, table: str, mode: str = "whole") -> None:
    conn = url.replace("mysql+pymysql://", "mysql://")
    query = f"SELECT * FROM `{table}`"
    if mode == "stream":
        reader = cx.read_sql(conn, query, return_type="arrow_stream", batch_size=100_000)
        rows = sum(batch.num_rows for batch in reader)
    else:
        rows = cx.read_sql(conn, query, return_type="arrow").num_rows
    print(rows)


if __name__ == "__main__":
    main(*sys.argv[1:])
