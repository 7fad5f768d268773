"""The jobs and their schedules: `daily` (every source, build, publish) and `email_micro_batch` (Kinesis, the email
marts, publish). Both start switched off: turn them on in the UI or with `dagster schedule start`."""

import os

from dagster import (
    AssetKey,
    AssetSelection,
    DefaultScheduleStatus,
    ScheduleDefinition,
    define_asset_job,
)
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

# Every run that writes the warehouse carries this tag; the instance (orchestration/dagster.yaml) runs one at a time.
WRITER_TAG = {"commerce_dw/warehouse": "writer"}
DAILY_CRON = os.environ.get("ORCHESTRATION_DAILY_CRON", "0 2 * * *")
EMAIL_MICRO_BATCH_CRON = os.environ.get("ORCHESTRATION_EMAIL_MICRO_BATCH_CRON", "*/15 * * * *")
TIMEZONE = "UTC"


def daily_job(source_objects: AssetSelection) -> UnresolvedAssetJobDefinition:
    return define_asset_job(
        "daily",
        selection=AssetSelection.all() - source_objects,
        tags=WRITER_TAG,
        description="Load every source, build every dbt node (tests as checks), publish the marts",
    )


def email_micro_batch_job(email_raw_tables: list[AssetKey]) -> UnresolvedAssetJobDefinition:
    return define_asset_job(
        "email_micro_batch",
        # The Kinesis tables and everything built from them, the publication included.
        selection=AssetSelection.assets(*email_raw_tables).downstream(),
        tags=WRITER_TAG,
        description="Load Kinesis, build the email models (tests as checks), publish the marts",
    )


def schedule_for(job: UnresolvedAssetJobDefinition, cron: str) -> ScheduleDefinition:
    return ScheduleDefinition(
        name=job.name,
        job=job,
        cron_schedule=cron,
        execution_timezone=TIMEZONE,
        default_status=DefaultScheduleStatus.STOPPED,
    )
