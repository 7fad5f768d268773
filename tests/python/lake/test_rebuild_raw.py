"""`python -m load rebuild-raw --from-lake` gives back the live raw tables row for row, from the lake alone."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from demo.classicmodels import day_tick
from demo.emails import TrafficPlan, send_traffic
from demo.kinesis_producer import create_stream
from lake_compare import assert_lake_matches_warehouse, differences, manifests
from lake_runs import Shop, lake_env, load_ok, rebuild_ok, run_load
from load.kinesis.client import kinesis_client, stream_config
from source_compare import mysql_connect

CUSTOMERS = list(range(103, 163))


@pytest.fixture
def stream(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    client = kinesis_client(stream_config().credentials)
    name = f"test-{uuid.uuid4().hex[:12]}"
    create_stream(client, name, 2)
    monkeypatch.setenv("SOURCES__KINESIS__STREAM_NAME", name)
    yield name
    client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)


def send_emails(seed: int) -> int:
    """Put a day of email events, some malformed; how many records were rejected-to-be."""
    plan = TrafficPlan(
        day=date(2024, 5, 17), emails=40, customers=CUSTOMERS, seed=seed, malformed_share=0.2, large_record=False
    )
    return sum(send_traffic(plan).malformed_by_reason.values())


def delete_and_rekey(admin_url: str) -> None:
    """Changes a CDC merge must turn into hard deletes: deleted rows, and a primary key moved."""
    with mysql_connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute("DELETE FROM payments ORDER BY customerNumber, checkNumber LIMIT 2")
        cursor.execute("DELETE FROM orderdetails WHERE orderNumber = (SELECT MAX(orderNumber) FROM orders)")
        cursor.execute("UPDATE payments SET checkNumber = CONCAT(checkNumber, 'X') ORDER BY amount LIMIT 1")


def test_rebuild_raw_equals_live_raw_after_cdc_changes_and_kinesis(shop: Shop, stream: str, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse" / "w.duckdb"
    env = lake_env(shop.loader_url, warehouse, "cdc", SOURCES__KINESIS__STREAM_NAME=stream)  # default lake
    load_ok(env)
    delete_and_rekey(shop.admin_url)
    day_tick(shop.admin_url, seed=41)
    load_ok(env)
    rejected = send_emails(seed=1)
    load_ok(env, "kinesis")
    lake = warehouse.parent / "lake"  # the default: beside the warehouse WAREHOUSE_PATH names
    for dataset in ("raw_classicmodels", "raw_email"):
        assert_lake_matches_warehouse(lake, warehouse, dataset)
    in_lake = sum(m["tables"].get("email_events_rejected", {}).get("rows", 0) for m in manifests(lake, "raw_email"))
    assert in_lake == rejected > 0
    deletes = [m["tables"].get("payments", {}).get("deleted_keys", 0) for m in manifests(lake, "raw_classicmodels")]
    assert sum(deletes) == 3  # two deleted payments and a moved key

    rebuilt = tmp_path / "rebuilt.duckdb"
    result = rebuild_ok(env, rebuilt)
    assert "raw_email.email_events_rejected" in result.stdout
    assert differences(warehouse, rebuilt) == {}


def test_an_unwritable_lake_fails_in_one_line_before_loading(shop: Shop, tmp_path: Path) -> None:
    warehouse, not_a_folder = tmp_path / "w.duckdb", tmp_path / "a_file"
    not_a_folder.write_text("")
    env = lake_env(shop.loader_url, warehouse, "cdc", lake_url=str(not_a_folder / "lake"))
    result = run_load(env)
    assert result.returncode == 2, result.stderr[-3000:]
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "the lake" in line and "unreachable" in line
    assert "Traceback" not in result.stderr
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = '_dlt_loads'")
        assert tables.fetchall() == [(0,)]  # nothing committed without the lake
    env["LAKE_URL"] = str(tmp_path / "lake")
    load_ok(env)
    assert_lake_matches_warehouse(tmp_path / "lake", warehouse, "raw_classicmodels")
