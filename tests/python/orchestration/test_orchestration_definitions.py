"""The Dagster definitions: they validate, the asset graph runs from every source object to the marts and the
publication, and the schedules ask for the expected runs."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dagster import AssetKey, DefaultScheduleStatus, build_schedule_context
from dagster._utils.schedules import cron_string_iterator

from load.local_services import REPO_ROOT
from orchestration.dbt_project_assets import dbt_project
from orchestration.definitions import defs
from orchestration.loader_assets import CLICKSTREAM_STREAM, KAFKA_TOPIC, KINESIS_STREAM, LOADED_SOURCES
from orchestration.publish_asset import PUBLISHED_MARTS
from orchestration.schedules import WRITER_TAG

DAGSTER = str(Path(sys.executable).with_name("dagster"))
SALES_MART = AssetKey(["marts", "agg_sales_daily"])
EMAIL_MART = AssetKey(["marts", "agg_email_funnel_daily"])


def test_definitions_validate(tmp_path: Path) -> None:
    result = subprocess.run(
        [DAGSTER, "definitions", "validate", "-m", "orchestration.definitions"],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DAGSTER_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "All code locations passed validation" in result.stdout + result.stderr


def reachable(key: AssetKey, direction: str) -> set[AssetKey]:
    """The assets downstream ("child_keys") or upstream ("parent_keys") of `key` in the Definitions' graph."""
    graph = defs.resolve_asset_graph()
    seen: set[AssetKey] = set()
    frontier = [key]
    while frontier:
        for neighbour in getattr(graph.get(frontier.pop()), direction):
            if neighbour not in seen:
                seen.add(neighbour)
                frontier.append(neighbour)
    return seen


def downstream_of(key: AssetKey) -> set[AssetKey]:
    return reachable(key, "child_keys")


def upstream_of(key: AssetKey) -> set[AssetKey]:
    return reachable(key, "parent_keys")


def dbt_sources_upstream(manifest: dict[str, Any], unique_id: str) -> set[AssetKey]:
    """The raw tables (schema, table) a dbt node reads, directly or not, per dbt's own lineage."""
    found: set[AssetKey] = set()
    frontier = [unique_id]
    seen: set[str] = set()
    while frontier:
        for parent in manifest["parent_map"].get(frontier.pop(), []):
            if parent in seen:
                continue
            seen.add(parent)
            if parent.startswith("source."):
                source = manifest["sources"][parent]
                found.add(AssetKey([source["schema"], source["name"]]))
            frontier.append(parent)
    return found


def test_source_objects_reach_the_marts() -> None:
    """Every MySQL source table reaches the sales aggregate, the email stream the email funnel, the clickstream its
    sessions, the Kafka topic the shop's daily sales; all reach the publication."""
    mysql = next(source for source in LOADED_SOURCES if source.name == "mysql")
    assert len(mysql.upstream) == 8
    for table, source_object in mysql.upstream.items():
        assert {SALES_MART, PUBLISHED_MARTS} <= downstream_of(source_object), table
    assert {EMAIL_MART, PUBLISHED_MARTS} <= downstream_of(KINESIS_STREAM)
    assert {AssetKey(["marts", "fct_sessions"]), PUBLISHED_MARTS} <= downstream_of(CLICKSTREAM_STREAM)
    assert {AssetKey(["marts", "agg_shop_sales_daily"]), PUBLISHED_MARTS} <= downstream_of(KAFKA_TOPIC)


def test_the_graph_has_no_break_from_source_object_to_mart() -> None:
    """Every mart's source objects in Dagster are exactly those of the raw tables dbt's lineage says it reads."""
    manifest = json.loads(dbt_project.manifest_path.read_text())
    raw_to_source_object = {
        source.raw_key(table): source.upstream[table] for source in LOADED_SOURCES for table in source.tables
    }
    marts = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    marts = [node for node in marts if node["config"].get("schema") == "marts"]
    assert len(marts) > 10
    for mart in marts:
        expected = {raw_to_source_object[raw] for raw in dbt_sources_upstream(manifest, mart["unique_id"])}
        upstream = upstream_of(AssetKey(["marts", mart["name"]]))
        assert expected
        assert {key for key in upstream if key in set(raw_to_source_object.values())} == expected, mart["name"]


def test_raw_tables_are_the_dbt_sources() -> None:
    """dbt sources use the loaders' keys: each raw table has one definition, the loader's, and dbt reads it."""
    graph = defs.resolve_asset_graph()
    for source in LOADED_SOURCES:
        for table in source.tables:
            node = graph.get(source.raw_key(table))
            assert node.is_materializable
            assert node.parent_keys == {source.upstream[table]}
            assert any(child.path[0] == "staging" for child in node.child_keys), node.key


def test_dbt_tests_are_asset_checks() -> None:
    checks = {check.asset_key for check in defs.resolve_asset_graph().asset_check_keys}
    assert AssetKey(["marts", "fct_order_lines"]) in checks
    assert AssetKey(["raw_email", "email_events"]) in checks  # a dbt source test


def tick_times(cron: str, start: datetime, end: datetime) -> list[datetime]:
    ticks = []
    for tick in cron_string_iterator(start.timestamp(), cron, "UTC"):
        if tick > end:
            return ticks
        ticks.append(tick.astimezone(UTC))
    return ticks


def test_daily_schedule_runs_the_whole_job_at_two() -> None:
    schedule = defs.resolve_schedule_def("daily")
    assert schedule.default_status == DefaultScheduleStatus.STOPPED
    day = datetime(2026, 3, 10, tzinfo=UTC)
    assert tick_times(schedule.cron_schedule, day, day.replace(hour=23, minute=59)) == [day.replace(hour=2)]

    (request,) = schedule.evaluate_tick(
        build_schedule_context(scheduled_execution_time=day.replace(hour=2))
    ).run_requests
    job = defs.resolve_job_def(request.job_name or schedule.job_name)
    assert job.name == "daily"
    assert job.tags.items() >= WRITER_TAG.items()
    selected = job.asset_layer.selected_asset_keys
    assert {SALES_MART, EMAIL_MART, PUBLISHED_MARTS, LOADED_SOURCES[0].raw_key("orders")} <= selected


def test_email_micro_batch_runs_kinesis_and_the_email_marts_every_15_minutes() -> None:
    schedule = defs.resolve_schedule_def("email_micro_batch")
    assert schedule.default_status == DefaultScheduleStatus.STOPPED
    start = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    ticks = tick_times(schedule.cron_schedule, start, start.replace(hour=10))
    assert [(tick.hour, tick.minute) for tick in ticks] == [(9, 0), (9, 15), (9, 30), (9, 45), (10, 0)]

    (request,) = schedule.evaluate_tick(build_schedule_context(scheduled_execution_time=ticks[0])).run_requests
    job = defs.resolve_job_def(request.job_name or schedule.job_name)
    selected = job.asset_layer.selected_asset_keys
    assert {EMAIL_MART, PUBLISHED_MARTS, AssetKey(["raw_email", "email_events"])} <= selected
    assert SALES_MART not in selected
    assert not any(key.path[0] == "raw_classicmodels" for key in selected)
    assert job.tags.items() >= WRITER_TAG.items()
