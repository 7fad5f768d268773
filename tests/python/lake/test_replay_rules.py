"""The lake's export and replay rules on a hand-made warehouse: whole copies, merges with deletes and an added
column, an insert-only log, an empty table, a load rewriting every row while deleting others; no servers needed."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import pytest

from lake_compare import assert_lake_matches_warehouse, differences, manifests
from load.errors import LoadConfigError
from load.lake.export import LakeExport
from load.lake.location import open_lake
from load.lake.rebuild import rebuild_raw

DATASET = "raw_classicmodels"
KEYED = {"write_disposition": "merge", "x-merge-strategy": "delete-insert"}
SCHEMA = SimpleNamespace(
    name="mysql",
    tables={
        "orders": {
            **KEYED,
            "columns": {
                "order_number": {"primary_key": True},
                "_cdc_order": {"dedup_sort": "desc"},
                "_cdc_deleted": {"hard_delete": True},
            },
        },
        "_changes": {
            "write_disposition": "merge",
            "x-merge-strategy": "insert-only",
            "columns": {"change_id": {"primary_key": True}},
        },
        "refunds": {**KEYED, "columns": {"refund_id": {"primary_key": True}}},
    },
)
ORDERS = f"{DATASET}.orders"
STAGED = f"{DATASET}_staging.orders"


def commit(connection: duckdb.DuckDBPyConnection, load_id: str) -> None:
    connection.execute(f"INSERT INTO {DATASET}._dlt_loads VALUES (?, 'mysql', 0, now())", [load_id])


def merge_orders(connection: duckdb.DuckDBPyConnection, load_id: str, staged: list[tuple[Any, ...]]) -> None:
    """dlt's delete-insert merge: stage (key, amount, order, deleted), delete staged keys, insert the last live row."""
    connection.execute(f"DELETE FROM {STAGED}")
    for key, amount, order, deleted in staged:
        connection.execute(
            f"INSERT INTO {STAGED} BY NAME SELECT ? AS order_number, ? AS amount, ? AS _cdc_order,"
            " ? AS _cdc_deleted, ? AS _dlt_load_id",
            [key, amount, order, deleted, load_id],
        )
    connection.execute(f"DELETE FROM {ORDERS} WHERE order_number IN (SELECT order_number FROM {STAGED})")
    connection.execute(
        f"INSERT INTO {ORDERS} BY NAME SELECT * EXCLUDE (rank) FROM (SELECT *, row_number() OVER"
        f" (PARTITION BY order_number ORDER BY _cdc_order DESC) AS rank FROM {STAGED}) WHERE rank = 1"
        " AND NOT _cdc_deleted"
    )


def test_replaying_the_lake_gives_each_table_as_the_warehouse_has_it(tmp_path: Path) -> None:
    warehouse, lake_folder = tmp_path / "w.duckdb", tmp_path / "lake"
    lake = LakeExport(open_lake(str(lake_folder)), DATASET, "mysql", "mysql_test")
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(f"CREATE SCHEMA {DATASET}; CREATE SCHEMA {DATASET}_staging")
        connection.execute(
            f"CREATE TABLE {DATASET}._dlt_loads (load_id VARCHAR, schema_name VARCHAR,"
            " status BIGINT, inserted_at TIMESTAMPTZ)"
        )
        # 1: a whole copy of orders, the change log's first rows, an empty table
        connection.execute(
            f"CREATE TABLE {ORDERS} AS SELECT range AS order_number, (range * 10)::DECIMAL(10,2)"
            " AS amount, NULL::BIGINT AS _cdc_order, NULL::BOOLEAN AS _cdc_deleted,"
            " '1000.1' AS _dlt_load_id FROM range(1, 6)"
        )
        connection.execute(f"CREATE TABLE {STAGED} AS SELECT * FROM {ORDERS} LIMIT 0")
        connection.execute(
            f"CREATE TABLE {DATASET}._changes AS SELECT range AS change_id, '1000.1' AS _dlt_load_id FROM range(2)"
        )
        connection.execute(f"CREATE TABLE {DATASET}.refunds (refund_id BIGINT, _dlt_load_id VARCHAR)")
        commit(connection, "1000.1")
        lake.catch_up(connection, SCHEMA)
        # 2: a merge updating 2 (twice), deleting 3, moving key 4 to 40; a column added; one more change logged
        connection.execute(f"ALTER TABLE {ORDERS} ADD COLUMN note VARCHAR")
        connection.execute(f"ALTER TABLE {STAGED} ADD COLUMN note VARCHAR")
        merge_orders(
            connection,
            "2000.2",
            [(2, 1, 1, False), (2, 21, 2, False), (3, 30, 3, True), (4, 40, 4, True), (40, 40, 4, False)],
        )
        connection.execute(f"UPDATE {ORDERS} SET note = 'late' WHERE order_number = 2")
        connection.execute(f"INSERT INTO {DATASET}._changes VALUES (2, '2000.2')")
        commit(connection, "2000.2")
        lake.catch_up(connection, SCHEMA)
        # 3: a load that only deletes
        merge_orders(connection, "3000.3", [(5, 50, 1, True)])
        commit(connection, "3000.3")
        # the run "dies" here: the next one's catch-up exports load 3 first
    with duckdb.connect(str(warehouse)) as connection:
        rerun = LakeExport(open_lake(str(lake_folder)), DATASET, "mysql", "mysql_test")
        assert rerun.catch_up(connection, SCHEMA) == ["3000.3"]
        # 4: a load rewriting every row left (1 and 2) and deleting 40: a merge, not a whole copy
        merge_orders(connection, "4000.4", [(1, 11, 5, False), (2, 22, 5, False), (40, 40, 5, True)])
        commit(connection, "4000.4")
        rerun.catch_up(connection, SCHEMA)

    assert_lake_matches_warehouse(lake_folder, warehouse, DATASET)
    tables = {m["load_id"]: m["tables"] for m in manifests(lake_folder, DATASET)}
    assert tables["1000.1"]["orders"]["write_disposition"] == "replace"
    assert tables["1000.1"]["refunds"] == {**tables["1000.1"]["refunds"], "rows": 0, "write_disposition": "replace"}
    assert (tables["2000.2"]["orders"]["rows"], tables["2000.2"]["orders"]["deleted_keys"]) == (4, 2)
    assert tables["3000.3"]["orders"]["rows"] == tables["3000.3"]["orders"]["deleted_keys"] == 1
    assert tables["2000.2"]["_changes"]["merge_strategy"] == "insert-only"
    assert (tables["4000.4"]["orders"]["write_disposition"], tables["4000.4"]["orders"]["deleted_keys"]) == ("merge", 1)
    rebuilt = tmp_path / "rebuilt.duckdb"
    rebuild_raw(open_lake(str(lake_folder)), rebuilt)
    assert differences(warehouse, rebuilt) == {}
    # A rebuild that fails part-way (a file of the last load gone) leaves the earlier rebuild as it was.
    (last_file,) = tables["4000.4"]["orders"]["files"]
    (lake_folder / last_file).unlink()
    with pytest.raises(LoadConfigError):
        rebuild_raw(open_lake(str(lake_folder)), rebuilt)
    assert differences(warehouse, rebuilt) == {}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["lake", "rebuilt.duckdb", "w.duckdb"]
