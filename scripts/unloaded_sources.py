"""Print the dbt source tables the warehouse does not have yet, one selector each (`source:clickstream.page_views`).

Optional sources (a clickstream stream not configured, a Kafka topic never read) get their raw tables from the
loader's first read: until then `dbt source freshness` would fail on a missing table instead of reporting a stale
source, so the demo leaves them out. Reads the source list from the manifest of the last dbt command.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

from load.config import warehouse_path


def unloaded_sources(manifest: Path) -> list[str]:
    sources = json.loads(manifest.read_text())["sources"].values()
    with duckdb.connect(str(warehouse_path()), read_only=True) as connection:
        present = set(connection.execute("select table_schema, table_name from information_schema.tables").fetchall())
    return sorted(
        f"source:{source['source_name']}.{source['name']}"
        for source in sources
        if (source["schema"], source["identifier"]) not in present
    )


if __name__ == "__main__":
    print(" ".join(unloaded_sources(Path(sys.argv[1]))))
