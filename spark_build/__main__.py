"""`python -m spark_build <dbt command and arguments>`: dbt on the `spark` target in this process.

Starts the local Spark session (Iceberg, Hive catalog; spark_build.session), publishes the lake's raw tables as
views (spark_build.lake_sources), then runs dbt in-process: dbt-spark's `method: session` uses this session, so
the JVM starts once. Env: LAKE_URL (default lake/), SPARK_STATE_DIR (default .spark/)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from spark_build.lake_publish import publish_lake_sources
from spark_build.session import DEFAULT_STATE_DIR, start_session


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    from dbt.cli.main import dbtRunner

    session = start_session(Path(os.environ.get("SPARK_STATE_DIR", DEFAULT_STATE_DIR)))
    published = publish_lake_sources(session, os.environ.get("LAKE_URL", "lake"))
    print(f"spark_build: {published} raw tables published from the lake", file=sys.stderr)
    target = [] if "--target" in argv or "-t" in argv else ["--target", "spark"]
    result = dbtRunner().invoke([*argv, *target])
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
