"""`dlt pipeline run` / `dlt pipeline <source> run`: the loader as a dlt CLI command.

dlt builds its CLI from pluggy hooks in the `dlt` entry-point group (pyproject.toml). Its `pipeline` command takes an
optional pipeline name *before* the sub-command and lets plugins add sub-commands, so the name slot carries the
source: `dlt pipeline mysql run` loads MySQL, `dlt pipeline run` loads every source. The command hands its arguments
to `python -m load run`, so both run the same code and exit with the same codes.

dlt imports this module on every `dlt` invocation: the loader itself is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import traceback

from dlt.common.configuration import plugins
from dlt.common.configuration.plugins import SupportsCliCommand, only_host


class PipelineRunCommand(SupportsCliCommand):
    command = "run"
    parent = "pipeline"
    help_string = "Load the warehouse's sources (same as `python -m load run [SOURCE]`)"
    docs_url = None

    @property
    def description(self) -> str:
        from load.registry import SOURCES

        return (
            "Loads one source system into the warehouse, or every source when no pipeline name is given. The pipeline"
            f" name is the source, one of {', '.join(SOURCES)}: `dlt pipeline mysql run`. Same as"
            " `python -m load run [SOURCE]`."
        )

    def configure_parser(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--follow",
            type=float,
            metavar="SECONDS",
            help="keep running: load again every SECONDS (micro-batches), until interrupted",
        )
        parser.add_argument(
            "--resnapshot",
            action="store_true",
            help="mysql CDC: copy the tables again at a new binlog position (after a purged position or a reset)",
        )

    def execute(self, args: argparse.Namespace) -> None:
        raise SystemExit(run_loader(loader_argv(args)))


def loader_argv(args: argparse.Namespace) -> list[str]:
    """The `python -m load` arguments that mean the same as this `dlt pipeline ... run`."""
    argv = ["run"]
    if args.pipeline_name:
        argv.append(args.pipeline_name)
    if args.follow is not None:
        argv += ["--follow", str(args.follow)]
    if args.resnapshot:
        argv.append("--resnapshot")
    return argv


def run_loader(argv: list[str]) -> int:
    from load.__main__ import main

    try:
        return main(argv)
    except Exception:
        # dlt's CLI would print only the message: keep the traceback `python -m load` shows, and its exit code.
        traceback.print_exc()
        return 1


@plugins.hookimpl(specname="plug_cli")
@only_host("dlt")
def plug_cli_pipeline_run(host: str) -> type[SupportsCliCommand]:
    return PipelineRunCommand
