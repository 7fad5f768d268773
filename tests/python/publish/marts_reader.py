"""An analyst's session for the publish tests: `python marts_reader.py MARTS_PATH STOP_FILE ANSWERS_FILE`.

Opens the published marts file read-only once and keeps that connection, querying in a loop until STOP_FILE
exists. Each answer is one JSON line in ANSWERS_FILE (a file, not a pipe, that never blocks the loop): when it was
asked, when the open file was published and, per table, the row count recorded at publication and the count read
now. A consistent snapshot answers the same every time, recorded == live.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

ANSWER_SQL = """
select p.table_name, p.row_count, p.published_at
from meta.publication as p
order by p.table_name
"""


def answer(connection: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    rows = connection.execute(ANSWER_SQL).fetchall()
    tables = {}
    for name, recorded, _ in rows:
        (live,) = connection.execute(f'select count(*) from main."{name}"').fetchone() or (None,)
        tables[name] = [recorded, live]
    return {"published_at": str(rows[0][2]) if rows else None, "tables": tables}


def main(marts: str, stop_file: str, answers_file: str) -> None:
    connection = duckdb.connect(marts, read_only=True)
    stop = Path(stop_file)
    with open(answers_file, "a") as answers:
        while True:
            answers.write(json.dumps({"asked_at": time.time(), **answer(connection)}) + "\n")
            answers.flush()
            if stop.exists():
                break
            time.sleep(0.05)
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
