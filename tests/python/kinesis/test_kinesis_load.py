"""The Kinesis loader against the real local server: every record accounted for, reshard- and crash-safe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from demo.emails import MALFORMED_REASONS, TrafficPlan, TrafficReport, send_traffic
from demo.kinesis_producer import Entry, put_entries, wait_active
from load.errors import LoadConfigError
from load.kinesis.job import kinesis_job
from load.local_services import REPO_ROOT
from loader_process import reached_while_running
from stream_load import load_balance, query

DAY = date(2024, 5, 17)
CUSTOMERS = list(range(103, 163))


def send(emails: int, seed: int, malformed_share: float = 0.03) -> TrafficReport:
    return send_traffic(
        TrafficPlan(day=DAY, emails=emails, customers=CUSTOMERS, seed=seed, malformed_share=malformed_share)
    )


def load() -> str:
    return load_balance(kinesis_job)


def assert_warehouse_matches(warehouse: Path, reports: list[TrafficReport]) -> None:
    """Raw holds each record once, and the distinct valid events and the rejects are what was put."""
    valid = sum(report.valid_records for report in reports)
    rejected = sum(sum(report.malformed_by_reason.values()) for report in reports)
    assert query(warehouse, "select count(*) from raw_email.email_events") == [(valid,)]
    assert query(warehouse, "select count(*) from raw_email.email_events_rejected") == [(rejected,)]
    for table in ("email_events", "email_events_rejected"):
        duplicates = f"select shard_id, sequence_number from raw_email.{table} group by all having count(*) > 1"
        assert query(warehouse, duplicates) == [], table
    expected_events: dict[str, int] = {}
    expected_rejects: dict[str, int] = {}
    for report in reports:
        for event_type, count in report.events_by_type.items():
            expected_events[event_type] = expected_events.get(event_type, 0) + count
        for reason, count in report.malformed_by_reason.items():
            expected_rejects[reason] = expected_rejects.get(reason, 0) + count
    distinct_events = query(
        warehouse,
        "select event_type, count(distinct (event_id, event_type, event_at)) from raw_email.email_events group by 1",
    )
    assert dict(distinct_events) == expected_events
    rejects = query(warehouse, "select reason, count(*) from raw_email.email_events_rejected group by 1")
    assert dict(rejects) == expected_rejects


def test_every_record_is_accounted_for_and_a_rerun_adds_nothing(stream: str, warehouse: Path) -> None:
    report = send(emails=400, seed=11)
    assert load() == f"records read {report.records_put} = loaded {report.valid_records} + rejected " + str(
        report.records_put - report.valid_records
    )
    assert_warehouse_matches(warehouse, [report])
    assert load() == "records read 0 = loaded 0 + rejected 0"
    assert_warehouse_matches(warehouse, [report])


def test_every_malformed_kind_is_rejected_with_its_reason(stream: str, warehouse: Path) -> None:
    report = send(emails=50, seed=5, malformed_share=0.2)
    load()
    assert set(report.malformed_by_reason) == set(MALFORMED_REASONS.values())
    assert_warehouse_matches(warehouse, [report])
    not_utf8 = query(
        warehouse, "select bool_and(payload_is_base64) from raw_email.email_events_rejected where reason = 'not_utf8'"
    )
    assert not_utf8 == [(True,)]
    assert query(
        warehouse, "select count(*) from raw_email.email_events where strlen(extra_fields::varchar) > 1000000"
    ) == [(report.large_records,)]


def test_edge_case_records_never_break_the_load(stream: str, kinesis: Any, warehouse: Path) -> None:
    event = b'{"event_id": "e-%d", "event_type": "sent", "datetime": %s%s}'
    accepted = [
        event % (1, b"1715900000", b', "trace": 123456789012345678901234567890'),
        event % (2, b'"2024-05-17T00:00:00+02:00"', b', "subject": "\\ud83d\\ude00 promo\xc3\xa7\xc3\xa3o"'),
        event % (3, b"1715900000.25", b', "nested": {"a": [1, {"b": null}]}'),
        event % (4, b"1715900000", b', "user": null, "algorithms": []'),
    ]
    rejected = [
        event % (5, b"NaN", b""),
        b'{"event_id": "\\ud800", "event_type": "sent", "datetime": 1}',
        event % (6, b"1", b', "user": 18446744073709551616'),
        b"[" * 100_000 + b"]" * 100_000,
        b"",
        b"null",
        event % (7, b"1715900000", b', "subject": "\\u0000"'),
    ]
    put_entries(kinesis, stream, [Entry(data, f"key-{index}") for index, data in enumerate(accepted + rejected)])
    assert load() == f"records read {len(accepted) + len(rejected)} = loaded {len(accepted)} + rejected {len(rejected)}"
    reasons = query(warehouse, "select reason from raw_email.email_events_rejected order by reason")
    assert [reason for (reason,) in reasons] == sorted(
        [
            "invalid_json",
            "invalid_json",
            "wrong_type",
            "invalid_json",
            "invalid_json",
            "not_an_object",
            "control_character",
        ]
    )


def test_staging_has_one_row_per_event(stream: str, warehouse: Path) -> None:
    report = send(emails=300, seed=3)
    load()
    dbt = subprocess.run(
        # Only the email staging layer and its rejects test: marts downstream (and the marts' reconciliation test
        # beside it in tests/dbt/email) need the shop's data, absent from this warehouse.
        [
            str(REPO_ROOT / ".venv/bin/dbt"),
            "build",
            "--select",
            "source:email",
            "path:models/staging/email",
            "assert_email_rejects_below_threshold",
            "--indirect-selection",
            "cautious",
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "WAREHOUSE_PATH": str(warehouse)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert dbt.returncode == 0, dbt.stdout[-3000:]
    staged = query(warehouse, "select event_type, count(*) from staging.stg_email__events group by 1")
    assert dict(staged) == report.events_by_type
    assert report.producer_retries > 0, "the generator must exercise at-least-once duplicates"


def test_reshards_between_batches_lose_nothing(stream: str, kinesis: Any, warehouse: Path) -> None:
    first = send(emails=120, seed=1)
    load()
    unread_in_parent = send(emails=120, seed=4)
    parent = kinesis.list_shards(StreamName=stream)["Shards"][0]
    low, high = (int(bound) for bound in parent["HashKeyRange"].values())
    kinesis.split_shard(StreamName=stream, ShardToSplit=parent["ShardId"], NewStartingHashKey=str((low + high) // 2))
    wait_active(kinesis, stream)
    second = send(emails=120, seed=2)
    load()
    kinesis.update_shard_count(StreamName=stream, TargetShardCount=2, ScalingType="UNIFORM_SCALING")
    wait_active(kinesis, stream)
    third = send(emails=120, seed=3)
    load()
    assert_warehouse_matches(warehouse, [first, unread_in_parent, second, third])
    children = query(
        warehouse,
        "select count(distinct shard_id) from raw_email.email_events where shard_id not in "
        "(select shard_id from raw_email.email_events where _dlt_load_id = (select min(_dlt_load_id) "
        "from raw_email.email_events))",
    )
    assert children[0][0] >= 2, "records after the reshards must come from the child shards"


def kill_follow_loader_at(stage_folder: str, warehouse: Path) -> None:
    """Run `load run kinesis --follow` in small bounded micro-batches; after the first committed batch, SIGKILL
    it as soon as a load package reaches `stage_folder` of dlt's working dir ("normalize/extracted": the
    extract of a batch is done, "load/normalized": the batch is being loaded into DuckDB)."""
    env = {
        **os.environ,
        "WAREHOUSE_PATH": str(warehouse),
        "SOURCES__KINESIS__MAX_RECORDS": "150",
        "SOURCES__KINESIS__BATCH_LIMIT": "50",
        "PYTHONUNBUFFERED": "1",
    }
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    output = warehouse.parent / f"follow-{stage_folder.replace('/', '-')}.out"
    with output.open("w") as sink:
        loader = subprocess.Popen(
            [sys.executable, "-m", "load", "run", "kinesis", "--follow", "0.01"],
            cwd=REPO_ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.DEVNULL,
        )
    pipelines = warehouse.parent / ".dlt_pipelines"

    def mid_load() -> bool:
        return "records read" in output.read_text() and any(pipelines.glob(f"*/{stage_folder}/*"))

    if reached_while_running(loader, mid_load, timeout_seconds=60):
        loader.send_signal(signal.SIGKILL)
    assert loader.wait() == -signal.SIGKILL, f"the loader ended before reaching {stage_folder}"


@pytest.mark.parametrize("stage_folder", ["normalize/extracted", "load/normalized"])
def test_kill_9_mid_load_then_rerun_loses_and_duplicates_nothing(
    stage_folder: str, stream: str, warehouse: Path
) -> None:
    report = send(emails=800, seed=9)
    kill_follow_loader_at(stage_folder, warehouse)
    partial = query(warehouse, "select count(*) from raw_email.email_events")[0][0]
    assert 0 < partial < report.valid_records
    load()
    assert_warehouse_matches(warehouse, [report])


def test_missing_stream_fails_clearly(monkeypatch: pytest.MonkeyPatch, warehouse: Path) -> None:
    monkeypatch.setenv("SOURCES__KINESIS__STREAM_NAME", "no-such-stream")
    with pytest.raises(LoadConfigError, match=r"'no-such-stream' does not exist on .*SOURCES__KINESIS__STREAM_NAME"):
        load()
