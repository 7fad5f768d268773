"""`make services-down && make services-up && make demo` on a private copy of the local services: the session's
shared demo (conftest.py `demo`), whose first `make demo` created the shop on them.

The demo's second day must load after a restart (kinesis-local keeps its streams on disk and a clean stop writes
the records put just before it), both servers must listen on 127.0.0.1 only, and the MariaDB passwords must be in
the secret stores only: not in the binlog (readable by the loader's replication grant), the server logs, dbt's
target and logs, dlt's working folders or the warehouse files.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from demo_run import PrivateServicesDemo
from private_services import LOOPBACK_ADDRESSES, PrivateServices, listening_addresses
from publish.reader_session import ReaderRecord

pytestmark = pytest.mark.integration

PROBE_STREAM = "restart-probe"
PROBE_RECORDS = 25


@pytest.fixture(scope="module")
def services(demo: PrivateServicesDemo) -> PrivateServices:
    return demo.services


def kinesis(services: PrivateServices) -> Any:
    return boto3.client(
        "kinesis",
        endpoint_url=services.kinesis_endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def shard_records(services: PrivateServices, stream: str) -> list[str]:
    """Every sequence number on the stream's one shard, in order."""
    client = kinesis(services)
    shard_id = client.list_shards(StreamName=stream)["Shards"][0]["ShardId"]
    iterator = client.get_shard_iterator(StreamName=stream, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON")
    position, sequence_numbers = iterator["ShardIterator"], []
    while True:
        page = client.get_records(ShardIterator=position, Limit=1000)
        sequence_numbers += [record["SequenceNumber"] for record in page["Records"]]
        if not page["Records"]:
            return sequence_numbers
        position = page["NextShardIterator"]


def last_order_day(services: PrivateServices) -> str:
    return services.sql("SELECT MAX(orderDate) FROM classicmodels.orders")


def test_demo_runs_again_after_a_restart(
    services: PrivateServices, demo: PrivateServicesDemo, request: pytest.FixtureRequest
) -> None:
    services.make("services-up")
    assert "Generating the demo shop" in demo.first_run_output
    day_one = last_order_day(services)

    # Records put just before the stop: only the clean stop's write can keep them (the interval is a minute).
    client = kinesis(services)
    client.create_stream(StreamName=PROBE_STREAM, ShardCount=1)
    client.get_waiter("stream_exists").wait(StreamName=PROBE_STREAM, WaiterConfig={"Delay": 0.5})
    for number in range(PROBE_RECORDS):
        client.put_record(StreamName=PROBE_STREAM, Data=f"probe {number}".encode(), PartitionKey="probe")
    before_restart = shard_records(services, PROBE_STREAM)

    restarted_at = time.time()
    services.make("services-down")
    services.make("services-up")
    assert shard_records(services, PROBE_STREAM) == before_restart
    assert len(before_restart) == PROBE_RECORDS

    # The session's demo day with a reader (the publish tests check the reader); if the publish tests ran first,
    # that day came before this restart, and the day after it is run here.
    shared_day: ReaderRecord = request.getfixturevalue("demo_day_with_a_reader")
    second = shared_day.output if shared_day.started > restarted_at else services.make("demo")
    assert "Simulating the next business day" in second
    assert "records read" in second
    assert last_order_day(services) > day_one
    # Freshness is shown (the default selector selects no source: it used to print "Nothing to do").
    assert "freshness of classicmodels.orders" in second
    assert "freshness of email.email_events" in second


def test_servers_listen_on_loopback_only(services: PrivateServices) -> None:
    services.make("services-up")
    for port in (services.mariadb_port, services.kinesis_port, services.kinesis_tls_port):
        addresses = listening_addresses(port)
        assert addresses, f"nothing listens on port {port}"
        assert addresses <= LOOPBACK_ADDRESSES, f"port {port} listens on {addresses}"


def test_accounts_are_made_once(services: PrivateServices) -> None:
    services.make("services-up")
    services.make("services-down")
    restarted = services.make("services-up")
    assert "accounts" not in restarted
    assert "MariaDB up" in restarted


def binlog_text(services: PrivateServices) -> bytes:
    """Every binlog file decoded by mariadb-binlog (statements and row events), plus the raw bytes."""
    files = sorted((services.services_dir / "mariadb").glob("binlog.[0-9]*"))
    assert files, "no binlog written"
    decoded = subprocess.run(
        ["mariadb-binlog", "--base64-output=decode-rows", "--verbose", *map(str, files)],
        capture_output=True,
        check=True,
    ).stdout
    return decoded + b"".join(path.read_bytes() for path in files)


def files_under(folder: Path) -> Iterator[Path]:
    return (path for path in folder.rglob("*") if path.is_file())


def test_passwords_stay_in_the_secret_stores(services: PrivateServices) -> None:
    # After the shared demo's runs (the first one and those of the other tests): loads, builds and publications.
    secret_stores = {services.services_dir / "credentials.env", services.secrets_file}
    places: dict[str, bytes] = {"binlog (mariadb-binlog)": binlog_text(services)}
    for folder in (services.services_dir, services.warehouse_dir, services.root / "target", services.root / "logs"):
        for path in files_under(folder):
            if path not in secret_stores:
                places[str(path)] = path.read_bytes()
    assert any(".dlt_pipelines" in place for place in places), "dlt's working folder was not searched"
    assert any(place.endswith("commerce_dw.duckdb") for place in places), "the warehouse was not searched"
    for name, password in services.passwords.items():
        leaks = [place for place, content in places.items() if password.encode() in content]
        assert not leaks, f"{name} found in {leaks}"


def test_a_torn_stream_file_names_the_way_out(services: PrivateServices) -> None:
    services.make("services-up")  # creates the demo stream: the stop writes it out
    services.make("services-down")
    saved = services.services_dir / "kinesis" / "streams.json"
    intact = saved.read_bytes()
    saved.write_bytes(intact[: len(intact) // 2])  # what a server killed mid-write can leave
    try:
        result = services.run("scripts/services.sh", "up")
        assert result.returncode == 1
        assert "move" in result.stdout and "python -m load reset kinesis" in result.stdout, result.stdout
    finally:
        saved.write_bytes(intact)
    services.make("services-up")
    assert "email-events" in kinesis(services).list_streams()["StreamNames"]
