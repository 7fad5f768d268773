"""The daily job materialized in-process on the real local servers equals `python -m load run && dbt build`, and a
failing dbt test blocks the publication."""

import hashlib
import sys
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, DagsterEventType, DagsterInstance, ExecuteInProcessResult

from isolated_run import run_checked
from load.local_services import REPO_ROOT
from marts_figures import mart_figures
from orchestrated_run import Workdir, execute
from orchestration.publish_asset import PUBLISHED_MARTS

pytestmark = pytest.mark.integration

DIM_CUSTOMERS = AssetKey(["marts", "dim_customers"])
# Marts of the optional sources (the clickstream, the shop's Kafka topic) this test does not feed: they may be empty.
OPTIONAL_SOURCE_MARTS = {
    path.stem for area in ("clickstream", "shop") for path in (REPO_ROOT / "models" / "marts" / area).glob("*.sql")
}


def test_daily_materializes_every_asset_and_equals_the_direct_run(
    orchestrated: Workdir, source_settings: dict[str, str], tmp_path: Path
) -> None:
    direct = Workdir(tmp_path)
    run_checked([sys.executable, "-m", "load", "run"], direct.env(source_settings))
    run_checked(["scripts/build.sh"], direct.env(source_settings))

    orchestrated_figures = mart_figures(orchestrated.warehouse)
    assert orchestrated_figures == mart_figures(direct.warehouse)
    assert {"agg_sales_daily", "agg_email_funnel_daily", "fct_order_lines"} <= set(orchestrated_figures)
    fed = {name: figures for name, figures in orchestrated_figures.items() if name not in OPTIONAL_SOURCE_MARTS}
    assert all(figures[0] > 0 for name, figures in fed.items() if name.startswith("agg_")), fed
    with duckdb.connect(str(orchestrated.published), read_only=True) as connection:
        published = dict(connection.execute("select table_name, row_count from meta.publication").fetchall())
    assert published == {name: figures[0] for name, figures in orchestrated_figures.items()}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def failed_check_keys(result: ExecuteInProcessResult) -> set[AssetKey]:
    return {
        event.event_specific_data.asset_key
        for event in result.all_events
        if event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION and not event.event_specific_data.passed
    }


def test_failing_dbt_test_blocks_the_publication(
    orchestrated: Workdir, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A duplicated customer breaks the staging model's unique test: dbt fails and nothing is published, in the
    same run or in a later run of the publication alone."""
    workdir = orchestrated.copy_to(tmp_path)
    published_before = sha256(workdir.published)
    with duckdb.connect(str(workdir.warehouse)) as connection:
        connection.execute("insert into raw_classicmodels.customers select * from raw_classicmodels.customers limit 1")
    for key, value in {
        "WAREHOUSE_PATH": workdir.warehouse,
        "MARTS_PATH": workdir.published,
        "DBT_TARGET_PATH": workdir.path / "target",
    }.items():
        monkeypatch.setenv(key, str(value))
    instance = DagsterInstance.ephemeral()

    # The customers' staging model and the marts built on it, then the publication: dbt fails, publication skipped.
    customers = AssetKey(["staging", "stg_classicmodels__customers"])
    result = execute("daily", instance, asset_selection=[customers, DIM_CUSTOMERS, PUBLISHED_MARTS])
    assert not result.success
    assert customers in failed_check_keys(result)
    assert PUBLISHED_MARTS not in {event.asset_key for event in result.get_asset_materialization_events()}
    assert sha256(workdir.published) == published_before

    # The publication alone refuses while the latest result of a dbt test is an error.
    result = execute("daily", instance, asset_selection=[PUBLISHED_MARTS])
    assert not result.success
    (failure,) = [event for event in result.all_events if event.event_type == DagsterEventType.STEP_FAILURE]
    assert "dbt tests failed: staging/stg_classicmodels__customers" in failure.event_specific_data.error.message
    assert sha256(workdir.published) == published_before
