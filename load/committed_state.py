"""Does a pipeline's local working folder hold exactly what the warehouse committed last?

The warehouse is the one source of truth for cursors and binlog positions. Dropping the local folder and restoring
state and schemas from the warehouse on every run gives that, but costs a tenth of a run with nothing to do; it is
only needed when the two differ: a crashed run's leftover packages, a warehouse file deleted, replaced or restored,
another warehouse loaded from the same folder. Each of these changes a hash or leaves a package, so the local
folder is kept only when nothing is pending and the state and every schema carry the hashes the warehouse
committed last.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import dlt

# The state dlt restores: the newest one saved by a completed load (as dlt's own get_stored_state reads it).
COMMITTED_STATE = """
SELECT s.version_hash
FROM {dataset}._dlt_pipeline_state AS s
JOIN {dataset}._dlt_loads AS l ON l.load_id = s._dlt_load_id
WHERE s.pipeline_name = ? AND l.status = 0
ORDER BY l.load_id DESC
LIMIT 1
"""
# The schemas dlt restores: the newest stored version of each (as dlt's own get_stored_schema reads them).
STORED_SCHEMAS = """
SELECT schema_name, arg_max(version_hash, inserted_at)
FROM {dataset}._dlt_version
GROUP BY schema_name
"""


def local_state_is_committed(
    pipeline: dlt.Pipeline, warehouse: Path, connection: duckdb.DuckDBPyConnection | None = None
) -> bool:
    """True when restoring from the warehouse would give the pipeline the state and schemas it already has.
    `connection`: the run's open connection to the warehouse (else the check opens it read-only)."""
    if not warehouse.exists() or has_unfinished_packages(Path(pipeline.working_dir)):
        return False
    state = pipeline.state
    state_hash = state.get("_version_hash")
    if not state_hash or not pipeline.schema_names or set(pipeline.schema_names) != set(state["schema_names"]):
        return False
    schema_hashes = {name: pipeline.schemas[name].version_hash for name in pipeline.schema_names}
    dataset = f'"{pipeline.dataset_name}"'
    try:
        with connection.cursor() if connection else duckdb.connect(str(warehouse), read_only=True) as cursor:
            committed = cursor.execute(COMMITTED_STATE.format(dataset=dataset), [pipeline.pipeline_name]).fetchone()
            stored = dict(cursor.execute(STORED_SCHEMAS.format(dataset=dataset)).fetchall())
    except duckdb.Error:  # no such tables yet, or a file that is not ours: restore the usual way
        return False
    return committed is not None and committed[0] == state_hash and schema_hashes.items() <= stored.items()


def committed_state_hash(connection: duckdb.DuckDBPyConnection, dataset: str, pipeline_name: str) -> str | None:
    """The version hash of the state the warehouse committed last for `pipeline_name`; None when there is none."""
    try:
        row = connection.execute(COMMITTED_STATE.format(dataset=f'"{dataset}"'), [pipeline_name]).fetchone()
    except duckdb.CatalogException:  # no dlt tables yet
        return None
    return str(row[0]) if row else None


def has_unfinished_packages(working_dir: Path) -> bool:
    """Any file a run left in dlt's extract or normalize folders (dlt's own package listings miss a half-extracted
    package: each extract writes into a folder of its own until it completes)."""
    for folder in (working_dir / "normalize", working_dir / "load" / "new", working_dir / "load" / "normalized"):
        if folder.exists() and any(path.is_file() and path.name != ".version" for path in folder.rglob("*")):
            return True
    return False


def remove_completed_packages(pipeline: dlt.Pipeline) -> None:
    """Delete the packages of earlier, completed loads (their data is in the warehouse): a kept local folder
    would otherwise grow by a package per run."""
    loaded = Path(pipeline.working_dir) / "load" / "loaded"
    for load_id in pipeline.list_completed_load_packages():
        shutil.rmtree(loaded / load_id, ignore_errors=True)
