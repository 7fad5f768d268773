"""The replay of the lake's loads into Spark views (spark_build.lake_sources): which loads and files a raw table is
made of, and manifests the replay cannot follow. The views' rows are checked on Spark by test_spark_build.py."""

from __future__ import annotations

from typing import Any

import pytest

from spark_build.lake_sources import LakeError, file_urls, tables_from_manifests, view_sql

COLUMNS = ["order_number", "status", "_dlt_load_id"]


def manifest(load_id: str, disposition: str, **entry: Any) -> dict[str, Any]:
    files = [f"orders/load_date=2026-12-0{load_id[-1]}/{load_id}.parquet"]
    return {
        "load_id": load_id,
        "dataset": "raw_classicmodels",
        "tables": {"orders": {"rows": 1, "files": files, "write_disposition": disposition, **entry}},
    }


def test_a_replace_drops_the_loads_before_it() -> None:
    manifests = [manifest("100.3", "append"), manifest("100.1", "append"), manifest("100.2", "replace")]
    (orders,) = tables_from_manifests("raw_classicmodels", manifests)
    assert [load.load_id for load in orders.loads] == ["100.1", "100.2", "100.3"]
    assert file_urls(orders, "file:///lake/raw_classicmodels") == [
        "file:///lake/raw_classicmodels/orders/load_date=2026-12-02/100.2.parquet",
        "file:///lake/raw_classicmodels/orders/load_date=2026-12-03/100.3.parquet",
    ]
    sql = view_sql(orders, COLUMNS)
    assert "'load_date=2026-12-01/100.1.parquet'" not in sql
    assert "'load_date=2026-12-03/100.3.parquet', '100.3'" in sql


def test_a_merge_keeps_the_latest_load_per_key_and_drops_hard_deletes() -> None:
    merge = {
        "merge_strategy": "delete-insert",
        "primary_key": ["order_number"],
        "hard_delete_column": "_deleted",
        "dedup_sort": {"_cdc_order": "desc"},
    }
    (orders,) = tables_from_manifests("raw_classicmodels", [manifest("100.1", "merge", **merge)])
    sql = view_sql(orders, COLUMNS)
    assert "max(_lake_load_id) as kept_load" in sql
    assert "row_number() over (partition by `order_number` order by `_cdc_order` desc)" in sql
    assert "select _lake_load_id, `order_number`, `status`, `_dlt_load_id` from" in sql
    assert "group by `order_number`" in sql
    assert "not coalesce(cast(lake_rows.`_deleted` as boolean), false)" in sql


def test_insert_only_keeps_the_earliest_load_per_key() -> None:
    insert_only = {"merge_strategy": "insert-only", "primary_key": ["order_number"]}
    (orders,) = tables_from_manifests("raw_classicmodels", [manifest("100.1", "merge", **insert_only)])
    assert "min(_lake_load_id) as kept_load" in view_sql(orders, COLUMNS)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"write_disposition": "upsert"}, "unknown write_disposition 'upsert'"),
        ({"write_disposition": "merge", "primary_key": []}, "merges without a primary_key"),
    ],
)
def test_manifests_the_replay_cannot_follow_fail_clearly(entry: dict[str, Any], message: str) -> None:
    broken = manifest("100.1", "append")
    broken["tables"]["orders"].update(entry)
    with pytest.raises(LakeError, match=message):
        tables_from_manifests("raw_classicmodels", [broken])
