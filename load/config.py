"""Where the warehouse lives and how a source's dlt state is keyed to it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

DEFAULT_WAREHOUSE_PATH = "warehouse/commerce_dw.duckdb"
DEFAULT_MARTS_PATH = "warehouse/marts.duckdb"
# dlt's pipeline folders, beside the warehouse they load
PIPELINES_FOLDER = ".dlt_pipelines"


def warehouse_path() -> Path:
    """The DuckDB file every loader writes and dbt builds in (`WAREHOUSE_PATH`)."""
    return Path(os.environ.get("WAREHOUSE_PATH") or DEFAULT_WAREHOUSE_PATH).expanduser().resolve()


def marts_path() -> Path:
    """The read-only copy of the marts that analysts open (`MARTS_PATH`); see load/publish.py."""
    return Path(os.environ.get("MARTS_PATH") or DEFAULT_MARTS_PATH).expanduser().resolve()


def pipeline_name(source: str, source_identity: str) -> str:
    """A pipeline name unique to the source system (host, port, database or stream; never a password).

    dlt keys its state by pipeline name, and the runner restores that state from the warehouse on every run,
    so a new or emptied warehouse starts from no state (a full load), pointing the loader at another server
    gives another name (a full load), and a warehouse file that is moved or restored keeps its cursors.
    """
    digest = hashlib.sha256(source_identity.encode()).hexdigest()[:12]
    return f"{source}_{digest}"
