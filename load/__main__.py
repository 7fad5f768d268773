"""Command line: `python -m load run [mysql|kinesis] [--follow SECONDS] [--build SELECTOR] [--resnapshot]`,
`reset SOURCE`, `rebuild-raw --from-lake [--to PATH]`."""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import time

from load.failures import as_config_error
from load.gc_pause import long_lived_objects_spared
from load.lake.command import add_rebuild_command, rebuild_command
from load.process_end import ProcessEnd
from load.registry import SOURCES, jobs_for
from load.reset import add_reset_command, reset_positions

RESNAPSHOT_ENV = "SOURCES__MYSQL__RESNAPSHOT"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m load", description="Load source systems into the warehouse.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="load one source, or every source when none is named")
    run.add_argument("sources", nargs="*", metavar="SOURCE", help=f"one of {', '.join(SOURCES)}; default all")
    run.add_argument(
        "--follow",
        type=_positive_seconds,
        metavar="SECONDS",
        help="keep running: load again every SECONDS (micro-batches), until interrupted",
    )
    run.add_argument(
        "--build",
        metavar="SELECTOR",
        help="after each load, dbt run --selector SELECTOR (e.g. clickstream_micro_batch: near-real-time marts)",
    )
    run.add_argument(
        "--resnapshot",
        action="store_true",
        help="mysql CDC: copy the tables again at a new binlog position (after a purged position or a reset)",
    )
    add_reset_command(commands)
    add_rebuild_command(commands)
    return parser.parse_args(argv)


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text!r}")
    return seconds


def run_once(names: list[str], build: str | None = None) -> None:
    for name in names:
        if name == "mysql" and _mysql_has_nothing_to_load():
            continue
        from load.runner import print_summary, run_job  # imports dlt

        with long_lived_objects_spared():  # dlt's, made by the import above
            for job in jobs_for(name):
                print_summary(job, run_job(job))
    if build:
        from load.kinesis.micro_batch import build_marts

        build_marts(build)


def _mysql_has_nothing_to_load() -> bool:
    try:
        from load.mysql.unchanged import nothing_to_load
    except ImportError:  # the MySQL drivers are optional: the full job says what is missing
        return False
    return nothing_to_load()


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    # SQLAlchemy's pool logs a traceback when it cannot roll back a connection the server dropped; the run's own
    # error already says the connection was lost, in one line.
    logging.getLogger("sqlalchemy.pool").setLevel(logging.CRITICAL)
    args = parse_args(sys.argv[1:] if argv is None else argv)
    names = args.sources or list(SOURCES)
    unknown = [name for name in names if name not in SOURCES]
    if unknown:
        print(f"error: unknown source {', '.join(unknown)}; choose from {', '.join(SOURCES)}", file=sys.stderr)
        return 2
    if args.resnapshot:
        os.environ[RESNAPSHOT_ENV] = "true"  # dlt config [sources.mysql] resnapshot, for the first run only
    try:
        if args.command == "reset":
            print(reset_positions(args.source))
            return 0
        if args.command == "rebuild-raw":
            print("\n".join(rebuild_command(args.from_lake, args.to)))
            return 0
        run_once(names, args.build)
        os.environ.pop(RESNAPSHOT_ENV, None)
        while args.follow:
            time.sleep(args.follow)
            run_once(names, args.build)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        config_error = as_config_error(error)
        if config_error is None:
            raise
        print(f"error: {config_error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    ProcessEnd().run(main)
