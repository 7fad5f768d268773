"""The Dagster definitions of commerce_dw: `dagster dev -m orchestration.definitions` (`make orchestrate`).

source object (MySQL table, Kinesis stream) → raw table (loader) → dbt seeds, snapshots, staging, marts (dbt tests
as checks) → published marts. Steps run in the run's own process one after another: DuckDB takes one writer.
"""

from dagster import AssetSelection, Definitions, in_process_executor

from orchestration.dbt_project_assets import commerce_dw_dbt, dbt_cli
from orchestration.loader_assets import LOADED_SOURCES, loader_assets, source_object_specs
from orchestration.publish_asset import mart_keys, publish_asset
from orchestration.schedules import (
    DAILY_CRON,
    EMAIL_MICRO_BATCH_CRON,
    daily_job,
    email_micro_batch_job,
    schedule_for,
)

source_objects = source_object_specs()
daily = daily_job(AssetSelection.assets(*(spec.key for spec in source_objects)))
email_micro_batch = email_micro_batch_job(
    [source.raw_key(table) for source in LOADED_SOURCES if source.name == "kinesis" for table in source.tables]
)

defs = Definitions(
    assets=[
        *source_objects,
        *loader_assets(),
        commerce_dw_dbt,
        publish_asset(mart_keys(commerce_dw_dbt), list(commerce_dw_dbt.check_keys)),
    ],
    jobs=[daily, email_micro_batch],
    schedules=[schedule_for(daily, DAILY_CRON), schedule_for(email_micro_batch, EMAIL_MICRO_BATCH_CRON)],
    resources={"dbt": dbt_cli()},
    executor=in_process_executor,
)
