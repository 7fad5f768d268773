"""The marts publication (`python -m load.publish`) as the last asset, after every mart.

It runs only when the marts' build succeeded: a failed dbt test fails the dbt step, Dagster then skips this asset,
and analysts keep the last good published file.
"""

from collections.abc import Sequence

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, Failure, MaterializeResult, asset
from duckdb import Error as DuckDBError

from load.config import marts_path, warehouse_path
from load.publish import PUBLISHED_SCHEMA, PublishError, publish

PUBLISHED_MARTS = AssetKey(["published", "marts"])


def mart_keys(dbt_assets: AssetsDefinition) -> list[AssetKey]:
    """The dbt assets in the published schema (keys start with the model's configured schema)."""
    return sorted((key for key in dbt_assets.keys if key.path[0] == PUBLISHED_SCHEMA), key=lambda key: key.path)


def publish_asset(marts: Sequence[AssetKey]) -> AssetsDefinition:
    @asset(
        key=PUBLISHED_MARTS,
        deps=list(marts),
        group_name="publish",
        kinds={"duckdb"},
        pool="warehouse",
        description="The analysts' read-only copy of the marts (MARTS_PATH), swapped in atomically",
    )
    def published_marts(context: AssetExecutionContext) -> MaterializeResult:
        try:
            publication = publish(warehouse_path(), marts_path())
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
