"""The marts publication (`python -m load.publish`) as the last asset, after every mart.

It runs only when the marts' build succeeded: a failed dbt test fails the dbt step and Dagster skips this asset in
that run; and when it runs on its own (say from the UI), it refuses while the latest result of any dbt test is an
error. Either way analysts keep the last good published file.
"""

from collections.abc import Sequence

from dagster import (
    AssetCheckEvaluation,
    AssetCheckKey,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    DagsterInstance,
    Failure,
    MaterializeResult,
    asset,
)
from duckdb import Error as DuckDBError

from load.config import marts_path, warehouse_path
from load.publish import PUBLISHED_SCHEMA, PublishError, publish
from load.warehouse_access import exclusive_writer

PUBLISHED_MARTS = AssetKey(["published", "marts"])


def mart_keys(dbt_assets: AssetsDefinition) -> list[AssetKey]:
    """The dbt assets in the published schema (keys start with the model's configured schema)."""
    return sorted((key for key in dbt_assets.keys if key.path[0] == PUBLISHED_SCHEMA), key=lambda key: key.path)


def failed_checks(instance: DagsterInstance, checks: Sequence[AssetCheckKey]) -> list[str]:
    """The checks whose latest evaluation failed with severity error (a dbt test that warns does not count)."""
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(list(checks))
    failed = []
    for key, record in latest.items():
        event = record.event.dagster_event if record.event else None
        evaluation = event.event_specific_data if event else None
        if isinstance(evaluation, AssetCheckEvaluation) and not evaluation.passed:
            failed += [key.to_user_string()] if evaluation.severity == AssetCheckSeverity.ERROR else []
    return sorted(failed)


def publish_asset(marts: Sequence[AssetKey], checks: Sequence[AssetCheckKey]) -> AssetsDefinition:
    @asset(
        key=PUBLISHED_MARTS,
        deps=list(marts),
        group_name="publish",
        kinds={"duckdb"},
        pool="warehouse",
        description="The analysts' read-only copy of the marts (MARTS_PATH), swapped in atomically",
    )
    def published_marts(context: AssetExecutionContext) -> MaterializeResult:
        failed = failed_checks(context.instance, checks)
        if failed:
            raise Failure(
                description=f"error: nothing published: dbt tests failed: {', '.join(failed)}", allow_retries=False
            )
        try:
            with exclusive_writer(warehouse_path(), "marts publication"):  # no load may start under the read
                publication = publish(warehouse_path(), marts_path(), {key.path[-1] for key in marts})
        except (PublishError, DuckDBError) as error:
            raise Failure(description=f"error: nothing published: {error}", allow_retries=False) from error
        context.log.info(f"{publication.summary()} in {publication.seconds:.2f} s")
        return MaterializeResult(
            metadata={
                "path": str(publication.path),
                "tables": len(publication.row_counts),
                "rows": sum(publication.row_counts.values()),
            }
        )

    return published_marts
