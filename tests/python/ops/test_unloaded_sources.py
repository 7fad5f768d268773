"""The demo's freshness step leaves out the source tables the warehouse does not have yet (scripts/unloaded_sources.py):
an optional source never loaded has no table, which freshness would report as an error, not as a stale source."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[3]


def source(source_name: str, name: str, schema: str) -> dict[str, str]:
    return {"source_name": source_name, "name": name, "schema": schema, "identifier": name}


def test_only_the_source_tables_missing_from_the_warehouse_are_listed(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema raw_email")
        connection.execute("create table raw_email.email_events (event_id varchar)")
    manifest = tmp_path / "manifest.json"
    sources = [
        source("email", "email_events", "raw_email"),
        source("clickstream", "page_views", "raw_clickstream"),
        source("clickstream", "page_views_rejected", "raw_clickstream"),
    ]
    manifest.write_text(json.dumps({"sources": {f"source.x.{i}": s for i, s in enumerate(sources)}}))
    listed = subprocess.run(
        [sys.executable, "scripts/unloaded_sources.py", str(manifest)],
        cwd=REPO_ROOT,
        env={"WAREHOUSE_PATH": str(warehouse), "PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert listed.stdout.split() == ["source:clickstream.page_views", "source:clickstream.page_views_rejected"]
