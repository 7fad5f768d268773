"""`python -m spark_build [--export-marts DIR] <dbt command and arguments>`: dbt on the `spark` target, in process.

Starts the local Spark session (Iceberg, Hive catalog; spark_build.session), publishes the lake's raw tables as
views (spark_build.lake_publish), then runs dbt in the same process: dbt-spark's `method: session` picks this
session up, so the JVM starts once. With --export-marts, a successful run then writes every table of schema
`marts` to DIR/<table>/ as parquet (the Spark tests compare them with the DuckDB marts).
Env: LAKE_URL (default: where the loaders write it; spark_build.lake_publish), SPARK_STATE_DIR (default
.spark/), SPARK_MASTER (default local[2])."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from spark_build.lake_publish import configured_lake_url, publish_lake_sources
from spark_build.session import DEFAULT_STATE_DIR, start_session

MARTS_SCHEMA = "marts"


def main(argv: list[str]) -> int:
    export_dir = None
    if argv[:1] == ["--export-marts"]:
        if len(argv) < 2:
            print("--export-marts needs a folder", file=sys.stderr)
            return 2
        export_dir, argv = Path(argv[1]), argv[2:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    from dbt.cli.main import dbtRunner

    session = start_session(Path(os.environ.get("SPARK_STATE_DIR", DEFAULT_STATE_DIR)))
    published = publish_lake_sources(session, configured_lake_url())
    print(f"spark_build: {published} raw tables published from the lake", file=sys.stderr)
    target = [] if "--target" in argv or "-t" in argv else ["--target", "spark"]
    result = dbtRunner().invoke([*argv, *target])
    if not result.success:
        return 1
    if export_dir is not None:
        for row in session.sql(f"show tables in {MARTS_SCHEMA}").collect():
            if row.isTemporary:  # dbt's __dbt_tmp views of incremental runs
                continue
            session.table(f"{MARTS_SCHEMA}.{row.tableName}").coalesce(1).write.mode("overwrite").parquet(
                str(export_dir / row.tableName)
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
