"""Print a SQL file's query and its result against the published, read-only marts (as an analyst would)."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from load.config import marts_path


def main(sql_file: str) -> None:
    sql = Path(sql_file).read_text()
    print(f"Published marts: {marts_path()}\n\n{sql}")
    with duckdb.connect(str(marts_path()), read_only=True) as connection:
        connection.sql(sql).show()


if __name__ == "__main__":
    main(sys.argv[1])
