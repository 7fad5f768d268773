"""`python -m load reset kinesis`: forget where a source was read up to, keep everything loaded.

The positions live in the dlt state committed with the data in the warehouse; dlt's own drop (state only) writes a
new state version without them, so the next run starts the source afresh (Kinesis: at `initial_position`, by default
TRIM_HORIZON) while raw tables, marts and history stay. A re-read record merges on its (shard, sequence number) key;
a record of a recreated stream has a new key, and staging keeps one row per event.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from load.config import warehouse_path
from load.errors import LoadConfigError
from load.registry import jobs_for

if TYPE_CHECKING:
    from load.runner import SourceJob

RESETTABLE = ("kinesis", "kafka")
# MySQL has its own restart: copy every table again at a new binlog position.
MYSQL_RESET = "python -m load run mysql --resnapshot"


def add_reset_command(commands: Any) -> None:
    """The `reset` sub-command of `python -m load`."""
    reset = commands.add_parser(
        "reset",
        help="forget a source's read positions (the warehouse keeps its data); the next run starts afresh",
        description=f"Forget a source's read positions. For mysql use `{MYSQL_RESET}`.",
    )
    reset.add_argument("source", metavar="SOURCE", help=f"one of {', '.join(RESETTABLE)}")
    # What `run` reads from its arguments, so both commands share the one error handling of `python -m load`.
    reset.set_defaults(sources=[], follow=None, resnapshot=False)


def reset_positions(source: str) -> str:
    """Drop the source's state from the warehouse; returns what was done, in one line."""
    if source == "mysql":
        raise LoadConfigError(f"mysql positions are reset by copying the tables again: `{MYSQL_RESET}`")
    if source not in RESETTABLE:
        raise LoadConfigError(f"cannot reset {source!r}: choose from {', '.join(RESETTABLE)}")
    warehouse = warehouse_path()
    if not warehouse.is_file():
        return f"{source}: no warehouse at {warehouse}: nothing to reset"
    # Every stream of the source (kinesis: the email stream and each of [sources.kinesis.streams]).
    return "\n".join(_reset_job(source, job, warehouse) for job in jobs_for(source))


def _reset_job(source: str, job: SourceJob, warehouse: Path) -> str:
    from dlt.pipeline.helpers import pipeline_drop

    from load.runner import make_pipeline
    from load.warehouse_access import exclusive_writer

    # A writer like any loader: setting up the pipeline may reset dlt's working folder, which a running loader
    # of the same warehouse is using.
    with exclusive_writer(warehouse, f"{source} reset"):
        pipeline = make_pipeline(job, warehouse)
        resources = pipeline.state.get("sources", {}).get(source, {}).get("resources", {})
        if not pipeline.default_schema_name or not resources:
            return f"{source}: no read positions of {job.dataset} in {warehouse}: nothing to reset"
        drop = pipeline_drop(pipeline, resources=list(resources), state_only=True)
        drop()
    return (
        f"{source}: forgot the read positions of {', '.join(sorted(resources))} ({job.dataset}) in {warehouse}; "
        "the next run reads the source from its start position"
    )
