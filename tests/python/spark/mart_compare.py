"""Marts of two engines side by side: the Spark build's marts (parquet exported by spark_build) against the DuckDB
warehouse's marts schema, row for row on the columns both engines must agree on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

# Columns left out of the row comparison. Keys of SCD2 versions hash the snapshot's wall-clock time
# (dbt_valid_from), and load times are each build's own: both differ between two builds of the same data by design.
# The natural keys and validity dates beside them are compared, and every other key.
BUILD_SPECIFIC_COLUMNS = {
    "loaded_at",
    "last_loaded_at",
    "customer_key",
    "employee_key",
    "sales_rep_employee_key",
    "product_key",
}
# Float columns (rates, minutes) are compared to this many decimals: the engines may differ in the last bits.
FLOAT_DECIMALS = 9


@dataclass(frozen=True)
class MartDifference:
    mart: str
    duckdb_rows: int
    spark_rows: int
    only_in_duckdb: int
    only_in_spark: int
    sample: list[tuple[object, ...]]


def _compared_columns(connection: duckdb.DuckDBPyConnection, mart: str) -> list[str]:
    columns = connection.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_catalog = 'duckdb_side' and table_schema = 'marts' and table_name = ? order by ordinal_position",
        [mart],
    ).fetchall()
    selected = []
    for name, data_type in columns:
        if name in BUILD_SPECIFIC_COLUMNS:
            continue
        if data_type in ("DOUBLE", "FLOAT"):
            selected.append(f"round({name}, {FLOAT_DECIMALS}) as {name}")
        elif data_type.endswith("[]"):
            selected.append(f"list_sort({name}) as {name}")
        else:
            selected.append(name)
    return selected


def compare_marts(duckdb_warehouse: Path, spark_marts: Path, marts: list[str]) -> list[MartDifference]:
    """The marts whose rows differ between the engines (empty when every one is equal)."""
    differences = []
    with duckdb.connect() as connection:
        connection.execute(f"attach '{duckdb_warehouse}' as duckdb_side (read_only)")
        for mart in marts:
            columns = ", ".join(_compared_columns(connection, mart))
            duckdb_rows = f"select {columns} from duckdb_side.marts.{mart}"
            spark_rows = f"select {columns} from read_parquet('{spark_marts / mart}/*.parquet')"
            (duckdb_count,) = connection.execute(f"select count(*) from duckdb_side.marts.{mart}").fetchone()
            (spark_count,) = connection.execute(f"select count(*) from ({spark_rows})").fetchone()
            only_duckdb = connection.execute(f"{duckdb_rows} except all {spark_rows}").fetchall()
            only_spark = connection.execute(f"{spark_rows} except all {duckdb_rows}").fetchall()
            if duckdb_count != spark_count or only_duckdb or only_spark:
                sample = (only_duckdb + only_spark)[:4]
                differences.append(
                    MartDifference(mart, duckdb_count, spark_count, len(only_duckdb), len(only_spark), sample)
                )
    return differences
