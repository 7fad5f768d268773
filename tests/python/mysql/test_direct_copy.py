"""Whole-table copies go straight into DuckDB (load/mysql/direct_copy.py): the tables must look exactly as if dlt
had loaded them (names, reflected types, load id, dlt schema with keys) so CDC merges and dbt staging work on."""

from __future__ import annotations

import json
import zlib
from base64 import b64decode
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from pathlib import Path

import dlt
import duckdb
import pyarrow as pa
import pytest
from dlt.common.normalizers.naming.snake_case import NamingConvention
from dlt.common.schema.typing import TColumnSchema

from demo.classicmodels import create_demo
from load.duckdb_settings import settings_for_a_while
from load.mysql.chunked_read import BATCHES_PER_CHUNK, connectorx_url, key_ranges, range_queries
from load.mysql.direct_copy import CopySettings, copy_settings, select_list
from loader_process import load_ok, run_loader
from source_compare import assert_table_equal, mysql_connect, source_scalar

# Types dlt's own Arrow loads create (INT as INTEGER, DECIMAL(p,s) as reflected, text as VARCHAR): payments is
# loaded by dlt in cursor mode (a cursor table) and copied whole in CDC mode; both must give the same table.
EXPECTED_TYPES = {
    "orderdetails": {
        "order_number": "INTEGER",
        "product_code": "VARCHAR",
        "quantity_ordered": "INTEGER",
        "price_each": "DECIMAL(10,2)",
        "order_line_number": "SMALLINT",
        "_dlt_load_id": "VARCHAR",
    },
    "payments": {
        "customer_number": "INTEGER",
        "check_number": "VARCHAR",
        "payment_date": "DATE",
        "amount": "DECIMAL(10,2)",
        "_dlt_load_id": "VARCHAR",
    },
}


def _stored_schema(connection: duckdb.DuckDBPyConnection) -> dict:
    """The newest dlt schema the loader committed to the warehouse (`_dlt_version`)."""
    (text,) = connection.execute(
        "SELECT schema FROM raw_classicmodels._dlt_version ORDER BY inserted_at DESC LIMIT 1"
    ).fetchone()
    try:
        return json.loads(text)
    except json.JSONDecodeError:  # dlt may store it compressed
        return json.loads(zlib.decompress(b64decode(text)))


@pytest.mark.parametrize("mode", ["cdc", "cursor"])
def test_whole_copies_look_like_dlt_loads(admin_url: str, loader_url: str, warehouse: Path, mode: str) -> None:
    create_demo(admin_url, scale=1, seed=3)
    output = load_ok(loader_url, warehouse, mode=mode)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for table, expected in EXPECTED_TYPES.items():
            described = connection.execute(f"DESCRIBE raw_classicmodels.{table}").fetchall()
            types = {name: type_ for name, type_, *_ in described}
            assert {name: types.get(name) for name in expected} == expected, table
        rows = connection.execute("SELECT COUNT(*) FROM raw_classicmodels.orderdetails").fetchone()[0]
        loads = connection.execute(
            "SELECT COUNT(*) FROM raw_classicmodels.orderdetails o "
            "JOIN raw_classicmodels._dlt_loads l ON l.load_id = o._dlt_load_id AND l.status = 0"
        ).fetchone()[0]
        schema = _stored_schema(connection)
    # Every copied row carries the id of a completed dlt load (staging and freshness read it).
    assert rows > 0 and loads == rows
    # The summary counts the copied rows, which dlt's own counters never see.
    assert f"raw_classicmodels.orderdetails: {rows} rows" in output, output
    columns = schema["tables"]["orderdetails"]["columns"]
    assert [name for name, column in columns.items() if column.get("primary_key")] == ["order_number", "product_code"]
    assert columns["price_each"]["data_type"] == "decimal"


def test_key_ranges_cover_every_key_once() -> None:
    ranges = key_ranges(low=10, high=1_009, rows=1_000, chunk_rows=300)
    assert len(ranges) == 4
    assert ranges[0][0] == 10 and ranges[-1][1] == 1_010
    assert all(end == following for (_, end), (following, _) in pairwise(ranges))
    assert key_ranges(low=5, high=5, rows=1, chunk_rows=300) == [(5, 6)]


def test_a_table_larger_than_a_chunk_is_read_in_key_ranges_exactly(
    admin_url: str, loader_url: str, warehouse: Path
) -> None:
    """Small batches make orderdetails, customers and payments several chunks each; the copy stays exact."""
    create_demo(admin_url, scale=1, seed=5)
    with mysql_connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute("ANALYZE TABLE orderdetails, customers, payments")  # chunking reads the row estimate
    batch_size = 40
    assert source_scalar(loader_url, "SELECT COUNT(*) FROM orderdetails") > 3 * batch_size * BATCHES_PER_CHUNK
    source = connectorx_url(loader_url)
    assert len(range_queries(source, "orderdetails", "orderNumber", batch_size * BATCHES_PER_CHUNK)) > 3
    result = run_loader(loader_url, warehouse, mode="cdc", settings={"SOURCES__MYSQL__BATCH_SIZE": str(batch_size)})
    assert result.returncode == 0, result.stderr[-3000:]
    for table in ("orderdetails", "customers", "payments", "products"):
        assert_table_equal(warehouse, loader_url, table)


def _copied_values(values: list[str], target: TColumnSchema) -> list[Decimal]:
    """`values` as connectorx hands MySQL decimals over (decimal128(38,10)), through the copy's select list."""
    source = pa.table({"amount": pa.array([Decimal(value) for value in values], pa.decimal128(38, 10))})
    select = select_list(source.schema, {"amount": target}, NamingConvention(), duckdb_capabilities.get_type_mapper())
    with duckdb.connect() as connection:
        connection.register("source_batches", source)
        return [row[0] for row in connection.execute(f"SELECT {select} FROM source_batches").fetchall()]


duckdb_capabilities = dlt.destinations.duckdb().capabilities()


@pytest.mark.parametrize("target_precision", [10, 30])  # narrowed through DECIMAL(18, 10), and too wide for it
def test_copy_casts_decimals_exactly_and_rounds_once(target_precision: int) -> None:
    target: TColumnSchema = {"name": "amount", "data_type": "decimal", "precision": target_precision, "scale": 2}
    values = ["99999999.994", "-12.345", "0.005", "-0.004", "1234.5"]
    assert _copied_values(values, target) == [Decimal(v).quantize(Decimal("0.01"), ROUND_HALF_UP) for v in values]


def test_copy_rejects_decimals_too_large_for_the_target_as_a_direct_cast_would() -> None:
    target: TColumnSchema = {"name": "amount", "data_type": "decimal", "precision": 10, "scale": 2}
    for value in ("99999999.995", "123456789.1"):
        with pytest.raises(duckdb.ConversionException):
            _copied_values([value], target)


def test_copy_settings_are_restored_afterwards() -> None:
    settings = "SELECT current_setting('memory_limit'), current_setting('preserve_insertion_order')"
    with duckdb.connect(config={"memory_limit": "1GiB"}) as connection:  # DuckDB shows its default rounded
        before = connection.execute(settings).fetchone()
        with settings_for_a_while(connection, copy_settings(CopySettings(batch_size=10, memory_limit="64MiB"))):
            during = connection.execute(settings).fetchone()
        after = connection.execute(settings).fetchone()
    assert during == ("64.0 MiB", False)
    assert after == before
