"""The `rebuild-raw` sub-command of `python -m load`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from load.config import warehouse_path
from load.errors import LoadConfigError

DEFAULT_TARGET_NAME = "raw_from_lake.duckdb"


def add_rebuild_command(commands: Any) -> None:
    rebuild = commands.add_parser(
        "rebuild-raw",
        help="rebuild the raw tables from the lake alone, into a DuckDB file",
        description="Replay every load in the lake (its manifests, in load order) into a new DuckDB file.",
    )
    rebuild.add_argument(
        "--from-lake",
        nargs="?",
        const="",
        default="",
        metavar="URL",
        help="the lake to read (default: LAKE_URL, [lake] bucket_url, else lake/)",
    )
    rebuild.add_argument(
        "--to",
        type=Path,
        metavar="PATH",
        help=f"the DuckDB file to write, replaced if it exists (default: {DEFAULT_TARGET_NAME} beside the warehouse)",
    )
    # What `run` reads from its arguments, so every command shares the one error handling of `python -m load`.
    rebuild.set_defaults(sources=[], follow=None, resnapshot=False)


def rebuild_command(lake_url: str, target: Path | None) -> list[str]:
    """Rebuild, and the lines that say what was rebuilt."""
    from load.lake.location import open_lake
    from load.lake.rebuild import rebuild_raw

    warehouse = warehouse_path()
    target = (target or warehouse.parent / DEFAULT_TARGET_NAME).expanduser().resolve()
    if target == warehouse:
        raise LoadConfigError(f"--to {target} is the warehouse itself: name another file")
    lake = open_lake(lake_url or None)
    tables = rebuild_raw(lake, target)
    lines = [f"rebuilt {len(tables)} raw tables from the lake {lake.url} into {target}"]
    lines += [f"  {t.dataset}.{t.table}: {t.rows} rows from {t.loads} loads" for t in tables]
    return lines
