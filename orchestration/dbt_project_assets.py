"""Every dbt seed, snapshot and model as an asset, and every dbt test as an asset check (dagster-dbt).

dbt sources take the keys of the raw-table assets (schema, table), so the graph runs on from the loaders without a
break. The build is the daily one of scripts/build.sh: every node but the unit tests (selectors.yml).
"""

import os
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from load.config import warehouse_path
from load.local_services import REPO_ROOT
from load.warehouse_access import exclusive_writer

# The manifest the definitions are read from: apart from target/ so that a user's own dbt runs never race it.
MANIFEST_TARGET = Path("target") / "dagster"
# Files whose change means the manifest must be parsed again.
PROJECT_INPUTS = ("dbt_project.yml", "selectors.yml", "models", "snapshots", "seeds", "macros", "tests/dbt")
DBT_GROUP = "dbt"
UNIT_TESTS = "resource_type:unit_test"

dbt_project = DbtProject(project_dir=REPO_ROOT, target_path=MANIFEST_TARGET, profiles_dir=REPO_ROOT)


def newest_input_mtime(project_dir: Path) -> float:
    newest = 0.0
    for name in PROJECT_INPUTS:
        path = project_dir / name
        paths = [path, *path.rglob("*")] if path.is_dir() else [path]
        newest = max([newest, *(item.stat().st_mtime for item in paths if item.exists())])
    return newest


def prepare_manifest(project: DbtProject) -> None:
    """`dbt parse` when the manifest is missing or older than the project (cheap when current)."""
    manifest = project.manifest_path
    if manifest.exists() and manifest.stat().st_mtime >= newest_input_mtime(project.project_dir):
        return
    dbt_cli().cli(["parse", "--quiet"], target_path=project.target_path).wait()


class RawTableKeys(DagsterDbtTranslator):
    """dbt sources keyed as the loaders' raw-table assets: [schema, table]."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return DBT_GROUP


translator = RawTableKeys(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_source_tests_as_checks=True)
)


def dbt_cli() -> DbtCliResource:
    """dbt from this venv (PATH may lack it), profiles.yml at the repository root."""
    return DbtCliResource(
        project_dir=dbt_project, dbt_executable=str(Path(sys.executable).with_name("dbt")), profiles_dir=str(REPO_ROOT)
    )


prepare_manifest(dbt_project)
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    exclude=UNIT_TESTS,
    pool="warehouse",
)
def commerce_dw_dbt(context: AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    # dagster-dbt would leave a target folder (~3 MB) per invocation in target/: a run every 15 minutes fills the
    # disk. The run's events keep what dbt reported; partial parsing still starts from the manifest's folder.
    # The writer lock as every writer takes it: a `make build` or a loader outside Dagster waits for the build.
    with (
        tempfile.TemporaryDirectory(prefix="commerce_dw_dbt-") as target,
        exclusive_writer(warehouse_path(), "dbt build"),
    ):
        yield from dbt.cli(["build", "--exclude", UNIT_TESTS], context=context, target_path=Path(target)).stream()
