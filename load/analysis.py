"""Run the queries of `analyses/` on the published marts: `python -m load.analysis analyses/FILE.sql` (`make sql`).

dbt renders an analysis's `ref()`s as catalog.schema.table, `"<catalog>"."marts"."fct_orders"`, while the published
file keeps the marts in its default schema (load/publish.py). So the analyses are compiled with the `analyses`
target of profiles.yml (an in-memory database: no warehouse, no lock on it, so this runs while the nightly build
does), which names the catalog `memory`; they run in an in-memory DuckDB, also `memory`, whose schema `marts` has a
view on every table of the published file, attached read-only. The compiled SQL runs as dbt wrote it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from load.config import marts_path
from load.local_services import REPO_ROOT
from load.sql_names import literal, quote

COMPILE_TARGET = "analyses"
MARTS_SCHEMA = "marts"
PUBLISHED_ALIAS = "published"
MAX_ROWS = 200


class AnalysisError(Exception):
    """An analysis cannot be compiled or run; one line for the user."""


def compiled_sql(files: list[Path]) -> dict[Path, str]:
    """Each analysis file (relative to the repository root) → its SQL as dbt compiles it."""
    from dbt.cli.main import dbtRunner  # deferred: importing dbt takes seconds

    wanted = [_relative(file) for file in files]
    target_path = Path(os.environ.get("DBT_TARGET_PATH") or REPO_ROOT / "target") / "analyses"
    args = ["compile", "--quiet", "--target", COMPILE_TARGET, "--target-path", str(target_path)]
    args += ["--project-dir", str(REPO_ROOT), "--profiles-dir", os.environ.get("DBT_PROFILES_DIR") or str(REPO_ROOT)]
    args += ["--select", *(f"path:{file}" for file in wanted)]
    result = dbtRunner().invoke(args)
    if not result.success or result.result is None:
        raise AnalysisError(f"dbt could not compile {', '.join(map(str, wanted))}: {result.exception or 'see above'}")
    compiled = {Path(item.node.original_file_path): item.node.compiled_code for item in result.result.results}
    missing = [str(file) for file in wanted if file not in compiled]
    if missing:
        raise AnalysisError(f"not an analysis of this dbt project: {', '.join(missing)}")
    return {file: compiled[file] for file in wanted}


def _relative(file: Path) -> Path:
    path = file if file.is_absolute() else Path.cwd() / file
    if not path.is_file():
        raise AnalysisError(f"no such file: {file}")
    try:
        return path.resolve().relative_to(REPO_ROOT)
    except ValueError:
        raise AnalysisError(f"{file} is not inside the project {REPO_ROOT}") from None


@contextmanager
def published_marts(published: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection where `memory.marts.<table>` reads the published file's tables."""
    if not published.is_file():
        raise AnalysisError(f"no published marts at {published}: run `make build` (or `make demo`) first")
    connection = duckdb.connect(":memory:")
    try:
        connection.execute(f"attach {literal(str(published))} as {PUBLISHED_ALIAS} (read_only)")
        connection.execute(f"create schema {MARTS_SCHEMA}")
        tables = connection.execute(
            "select table_name from information_schema.tables where table_catalog = ? and table_schema = 'main'",
            [PUBLISHED_ALIAS],
        ).fetchall()
        for (table,) in tables:
            name = quote(table)
            connection.execute(f"create view {MARTS_SCHEMA}.{name} as select * from {PUBLISHED_ALIAS}.main.{name}")
        yield connection
    finally:
        connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m load.analysis", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="analyses/….sql")
    parser.add_argument("--show-sql", action="store_true", help="print the compiled SQL before each result")
    args = parser.parse_args(argv)
    published = marts_path()
    try:
        queries = compiled_sql(args.files)
        with published_marts(published) as connection:
            for file, sql in queries.items():
                print(f"-- {file} on {published}")
                if args.show_sql:
                    print(sql)
                connection.sql(sql).show(max_rows=MAX_ROWS)
    except (AnalysisError, duckdb.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
