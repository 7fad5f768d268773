"""Print a SQL file's query and its result against the warehouse (read-only)."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from load.config import warehouse_path


def main(sql_file: str) -> None:
    sql = Path(sql_file).read_text()
    print(f"Warehouse: {warehouse_path()}\n\n{sql}")
    with duckdb.connect(str(warehouse_path()), read_only=True) as connection:
        connection.sql(sql).show()


if __name__ == "__main__":
    main(sys.argv[1])
