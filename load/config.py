"""Where the warehouse lives and how a source's dlt state is keyed to it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

DEFAULT_WAREHOUSE_PATH = "warehouse/commerce_dw.duckdb"
DEFAULT_MARTS_PATH = "warehouse/marts.duckdb"


def warehouse_path() -> Path:
    """The DuckDB file every loader writes and dbt builds in (`WAREHOUSE_PATH`)."""
    return Path(os.environ.get("WAREHOUSE_PATH") or DEFAULT_WAREHOUSE_PATH).expanduser().resolve()


def marts_path() -> Path:
    """The read-only copy of the marts that analysts open (`MARTS_PATH`); see load/publish.py."""
    return Path(os.environ.get("MARTS_PATH") or DEFAULT_MARTS_PATH).expanduser().resolve()


def pipeline_name(source: str, source_identity: str, warehouse: Path) -> str:
    """A pipeline name unique to (source system, warehouse file).

    dlt keys its state by pipeline name. Folding the warehouse and the source's identity (host, port,
    database or stream; never a password) into the name means that pointing either at something new starts
    from an empty state, i.e. a full load, instead of resuming another warehouse's cursors.
    """
    digest = hashlib.sha256(f"{warehouse}\n{source_identity}".encode()).hexdigest()[:12]
    return f"{source}_{digest}"
