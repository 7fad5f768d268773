"""Loader failures in the orchestrated run: transient errors retry with backoff, configuration errors do not."""

from pathlib import Path

import pytest
from dagster import DagsterEventType, DagsterInstance, ExecuteInProcessResult, materialize

from load.errors import LoadConfigError
from load.local_services import mysql_url
from load.runner import RunResult, SourceJob
from orchestration import loader_assets
from orchestration.definitions import defs
from orchestration.loader_assets import LOADED_SOURCES, LOADER_RETRIES, loader_failure


def load_only(source_name: str) -> ExecuteInProcessResult:
    """The source's loader asset alone (without the dbt source tests that check its tables)."""
    source = next(source for source in LOADED_SOURCES if source.name == source_name)
    loader = defs.resolve_assets_def(source.raw_key(source.tables[0]))
    return materialize([loader], instance=DagsterInstance.ephemeral(), raise_on_error=False)


def events_of(result: ExecuteInProcessResult, event_type: DagsterEventType) -> list[object]:
    return [event for event in result.all_events if event.event_type == event_type]


def test_config_errors_fail_without_retry_and_others_retry() -> None:
    assert loader_failure(ConnectionResetError("peer reset")) is None
    wrapped = RuntimeError("dlt step failed")
    wrapped.__cause__ = LoadConfigError("set the password")
    failure = loader_failure(wrapped)
    assert failure is not None
    assert (failure.description, failure.allow_retries) == ("error: set the password", False)
    assert (LOADER_RETRIES.max_retries, LOADER_RETRIES.backoff.value) == (3, "EXPONENTIAL")


def test_transient_error_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def flaky_run_job(job: SourceJob) -> RunResult:
        calls.append(job.name)
        if len(calls) == 1:
            raise ConnectionResetError("connection reset by peer")
        return RunResult(pipeline_name="kinesis_test", tables=[], seconds=0.0, load_info=None)

    monkeypatch.setattr(loader_assets, "run_job", flaky_run_job)
    monkeypatch.setattr(loader_assets, "print_summary", lambda job, result: None)

    result = load_only("kinesis")

    assert result.success
    assert calls == ["kinesis", "kinesis"]
    assert len(events_of(result, DagsterEventType.STEP_UP_FOR_RETRY)) == 1


@pytest.mark.integration
def test_config_error_fails_once_with_its_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Wrong MySQL password: the loader's exit-2 class. One attempt; the run's failure is the loader's line."""
    bad_url = mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD").replace("@", "x@", 1)
    monkeypatch.setenv("SOURCES__MYSQL__CREDENTIALS", bad_url)
    monkeypatch.setenv("WAREHOUSE_PATH", str(tmp_path / "w.duckdb"))

    result = load_only("mysql")

    assert not result.success
    assert not events_of(result, DagsterEventType.STEP_UP_FOR_RETRY)
    (failure,) = events_of(result, DagsterEventType.STEP_FAILURE)
    error = failure.event_specific_data.error
    assert error.message.startswith("dagster._core.definitions.events.Failure: error: ")
    assert "\n" not in failure.event_specific_data.user_failure_data.description
