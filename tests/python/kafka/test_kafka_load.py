"""The Kafka loader against the real local broker: every message exactly once whatever crashes, partitions added
between runs, bad messages quarantined, and marts equal to the producer's own totals to the cent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from confluent_kafka import Consumer, TopicPartition
from lake.lake_compare import manifests as lake_manifests

from demo.kafka_topics import add_partitions, create_topic, delete_topic
from demo.preflight import check_kafka
from demo.shop_transactions import ShopPlan, ShopReport, send_transactions
from isolated_run import run_checked
from load.errors import LoadConfigError
from load.kafka.config import kafka_config
from load.kafka.job import kafka_job
from load.local_services import REPO_ROOT
from loader_process import reached_while_running
from stream_load import load_balance, query

DAY = date(2024, 5, 17)
DBT = str(REPO_ROOT / ".venv" / "bin" / "dbt")
# what this module builds: the shop's staging and marts, with their data and unit tests
SHOP_MARTS = ("staging.shop+",)


def send(topic: str, transactions: int, seed: int, malformed_share: float = 0.01) -> ShopReport:
    plan = ShopPlan(
        day=DAY,
        transactions=transactions,
        seed=seed,
        malformed_share=malformed_share,
        first_transaction_no=100_000 * seed,
    )
    return send_transactions(plan, topic)


def load() -> str:
    return load_balance(kafka_job)


def assert_raw_matches(warehouse: Path, reports: list[ShopReport]) -> None:
    """Raw holds each message once, and the valid lines and the rejects are what was produced."""
    valid = sum(report.valid_messages for report in reports)
    rejected: dict[str, int] = {}
    for report in reports:
        for reason, count in report.malformed_by_reason.items():
            rejected[reason] = rejected.get(reason, 0) + count
    assert query(warehouse, "select count(*) from raw_shop.transactions") == [(valid,)]
    assert dict(query(warehouse, "select reason, count(*) from raw_shop.transactions_rejected group by 1")) == rejected
    for table in ("transactions", "transactions_rejected"):
        duplicates = (
            f"select topic, topic_partition, message_offset from raw_shop.{table} group by all having count(*) > 1"
        )
        assert query(warehouse, duplicates) == [], table
    net = query(warehouse, "select sum(price * quantity) from raw_shop.transactions")
    assert net == [(sum(Decimal(report.net_sales) for report in reports),)]


def loader(warehouse: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "load", "run", "kafka"],
        env={**os.environ, "WAREHOUSE_PATH": str(warehouse)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("stage_folder", ["normalize/extracted", "load/normalized"])
def test_a_load_killed_mid_way_then_rerun_has_every_message_once(
    topic: str, warehouse: Path, stage_folder: str
) -> None:
    first = send(topic, transactions=150, seed=1)
    assert load().startswith(f"messages read {first.messages_put} ")
    second = send(topic, transactions=150, seed=2)
    process = loader(warehouse)
    pipelines = warehouse.parent / ".dlt_pipelines"
    if reached_while_running(process, lambda: any(pipelines.glob(f"*/{stage_folder}/*")), timeout_seconds=60):
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, f"the loader finished before reaching {stage_folder}"
    # The rerun reads again what the killed run had read (its offsets were never committed) and merges it.
    assert load().startswith(f"messages read {second.messages_put} ")
    assert_raw_matches(warehouse, [first, second])
    assert load() == "messages read 0 = loaded 0 + rejected 0"


def test_a_partition_added_between_runs_is_read_from_its_start(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = f"test-grow-{os.getpid()}"
    create_topic(topic, 2)
    monkeypatch.setenv("SOURCES__KAFKA__TOPICS", topic)
    try:
        first = send(topic, transactions=40, seed=3, malformed_share=0)
        load()
        add_partitions(topic, 3)
        second = send(topic, transactions=80, seed=4, malformed_share=0)
        assert load() == f"messages read {second.messages_put} = loaded {second.valid_messages} + rejected 0"
        new_partition = query(warehouse, "select count(*) from raw_shop.transactions where topic_partition = 2")
        assert new_partition[0][0] > 0
        assert_raw_matches(warehouse, [first, second])
    finally:
        delete_topic(topic)


def test_messages_produced_during_a_run_wait_for_the_next_one(topic: str, warehouse: Path) -> None:
    """A run stops at the high watermarks it saw at its start; messages beyond them are the next run's."""
    report = send(topic, transactions=30, seed=5, malformed_share=0)
    consumer = Consumer({**kafka_config().consumer_settings(), "group.id": "test-watermarks"})
    ends = [consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in range(3)]
    consumer.close()
    assert sum(ends) == report.messages_put
    load()
    late = send(topic, transactions=10, seed=6, malformed_share=0)
    assert load() == f"messages read {late.messages_put} = loaded {late.valid_messages} + rejected 0"
    assert_raw_matches(warehouse, [report, late])


def test_a_run_with_nothing_new_loads_nothing_and_the_next_message_is_read(topic: str, warehouse: Path) -> None:
    """With every partition at its committed offset the run ends before dlt (no load, no state change)."""
    first = send(topic, transactions=5, seed=8, malformed_share=0)
    load()
    loads = query(warehouse, "select count(*) from raw_shop._dlt_loads")
    assert load() == "messages read 0 = loaded 0 + rejected 0"
    assert query(warehouse, "select count(*) from raw_shop._dlt_loads") == loads
    late = send(topic, transactions=3, seed=9, malformed_share=0)
    assert load() == f"messages read {late.messages_put} = loaded {late.valid_messages} + rejected 0"
    assert_raw_matches(warehouse, [first, late])
    # The lake's manifests say where the topic stood before and after each load.
    manifests = lake_manifests(warehouse.parent / "lake", "raw_shop")
    offsets = [sum(m["positions"]["after"]["next_offsets"][topic].values()) for m in manifests]
    assert offsets == [first.messages_put, first.messages_put + late.messages_put]
    assert manifests[1]["positions"]["before"] == manifests[0]["positions"]["after"]


def test_a_run_started_in_another_folder_loads_rows_the_lake_exports(
    topic: str, warehouse: Path, tmp_path: Path
) -> None:
    """Away from the project's .dlt/ (a scheduler's working folder), every row still carries its load id, which
    staging, source freshness and the lake's export read: with the settings given as environment variables, the
    run loads and exports as from the repository."""
    report = send(topic, transactions=30, seed=9, malformed_share=0)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "WAREHOUSE_PATH": str(warehouse),
        "PYTHONPATH": str(REPO_ROOT),
        "SOURCES__KAFKA__BOOTSTRAP_SERVERS": kafka_config().bootstrap_servers,
    }
    run = subprocess.run(
        [sys.executable, "-m", "load", "run", "kafka"],
        env=env,
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert query(warehouse, "select count(*), count(_dlt_load_id) from raw_shop.transactions") == [
        (report.valid_messages, report.valid_messages)
    ]
    (manifest,) = lake_manifests(warehouse.parent / "lake", "raw_shop")
    assert manifest["tables"]["transactions"]["rows"] == report.valid_messages


def test_marts_equal_the_producers_totals_to_the_cent(topic: str, warehouse: Path) -> None:
    report = send(topic, transactions=200, seed=7)
    rejected = sum(report.malformed_by_reason.values())
    assert load() == f"messages read {report.messages_put} = loaded {report.valid_messages} + rejected {rejected}"
    env = {**os.environ, "WAREHOUSE_PATH": str(warehouse)}
    run_checked([DBT, "build", "--select", *SHOP_MARTS], env)
    totals = query(
        warehouse,
        "select sum(gross_sales), sum(cancelled_sales), sum(net_sales), sum(sold_units), sum(cancelled_units) "
        "from marts.agg_shop_sales_daily",
    )
    units = sum(report.units_by_product.values())
    sold_minus_cancelled = (Decimal(report.gross_sales), Decimal(report.cancelled_sales), Decimal(report.net_sales))
    assert totals[0][:3] == sold_minus_cancelled
    assert totals[0][3] - totals[0][4] == units
    minutely = query(warehouse, "select sum(net_sales) from marts.agg_shop_sales_minutely")
    assert minutely == [(Decimal(report.net_sales),)]
    by_country = query(warehouse, "select country, sum(net_sales) from marts.agg_shop_sales_daily group by 1")
    assert {country: str(amount) for country, amount in by_country} == report.net_sales_by_country
    by_product = query(warehouse, "select product_no, sum(net_units) from marts.agg_shop_sales_daily group by 1")
    assert dict(by_product) == report.units_by_product
    top = query(warehouse, "select product_no, net_sales from marts.agg_shop_top_products order by sales_rank")
    expected_top = sorted(report.net_sales_by_product.items(), key=lambda item: -Decimal(item[1]))[: len(top)]
    assert [(product, str(amount)) for product, amount in top] == expected_top
    cancellations = query(
        warehouse, "select count(*) from marts.fct_shop_transaction_lines where is_cancellation and quantity < 0"
    )
    assert cancellations == [(report.cancellation_lines,)]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            {"SOURCES__KAFKA__BOOTSTRAP_SERVERS": "127.0.0.1:1", "SOURCES__KAFKA__TIMEOUT_SECONDS": "2"},
            "error: cannot reach Kafka at 127.0.0.1:1",
        ),
        ({"SOURCES__KAFKA__TOPICS": "no-such-topic"}, "error: Kafka topic 'no-such-topic' does not exist"),
        (
            {
                "SOURCES__KAFKA__CREDENTIALS__SECURITY_PROTOCOL": "SASL-SSL",
                "SOURCES__KAFKA__CREDENTIALS__SASL_PASSWORD": "do-not-print-me",
            },
            'error: the Kafka client refuses its settings (Invalid value "SASL-SSL" for configuration property',
        ),
        ({"SOURCES__KAFKA__TOPICS": "[shop-transactions]"}, "error: sources.kafka.topics '[shop-transactions]' is not"),
    ],
)
def test_an_unreachable_broker_a_missing_topic_or_bad_settings_are_one_line(
    warehouse: Path, settings: dict[str, str], expected: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "load", "run", "kafka"],
        env={**os.environ, "WAREHOUSE_PATH": str(warehouse), **settings},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [
        next(line for line in result.stderr.splitlines() if line.startswith(expected))
    ]
    assert "do-not-print-me" not in result.stderr + result.stdout


def test_preflight_and_the_loader_refuse_offsets_past_a_recreated_topics_end(topic: str, warehouse: Path) -> None:
    send(topic, transactions=20, seed=8, malformed_share=0)
    load()
    check_kafka(warehouse)  # offsets within the log
    delete_topic(topic)
    create_topic(topic, 3)  # what a local broker killed without a clean stop comes back with: nothing
    for attempt in (lambda: check_kafka(warehouse), load):
        with pytest.raises(LoadConfigError, match=r"past the end of the log .*python -m load reset kafka"):
            attempt()
