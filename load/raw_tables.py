"""What the stream sources (Kinesis, Kafka) share to hand dlt typed Arrow tables: schemas from dlt column hints,
the hints on each batch, and the count of records read beside the rows loaded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import dlt
import pyarrow as pa
from dlt.common.schema.typing import TColumnSchema

if TYPE_CHECKING:
    from load.runner import RunResult

_ARROW_TYPES = {
    "text": pa.string(),
    "json": pa.string(),  # JSON text; the warehouse column is DuckDB's JSON type
    "timestamp": pa.timestamp("us", tz="UTC"),
    "bigint": pa.int64(),
    "bool": pa.bool_(),
}


def _arrow_type(column: TColumnSchema) -> pa.DataType:
    if column["data_type"] == "decimal":
        return pa.decimal128(column["precision"], column["scale"])
    return _ARROW_TYPES[column["data_type"]]


def arrow_schema(columns: dict[str, TColumnSchema]) -> pa.Schema:
    return pa.schema(
        [pa.field(name, _arrow_type(column), nullable=column["nullable"]) for name, column in columns.items()]
    )


def with_hints(table: str, rows: pa.Table, columns: dict[str, TColumnSchema]) -> Any:
    """`rows` for dlt's `table`, with its declared columns (parquet, as they are)."""
    hints = dlt.mark.make_hints(table_name=table, columns=columns, file_format="parquet")
    return dlt.mark.with_hints(rows, hints, create_table_variant=True)


@dataclass
class RecordCount:
    """Records the source handed to dlt in the current run, counted apart from the loaded row counts."""

    records: int = 0

    def count(self, item: Any) -> Any:
        # The sources yield an Arrow table per batch and destination table.
        self.records += item.num_rows if isinstance(item, pa.Table) else 1
        return item

    def balance(self, result: RunResult, loaded_table: str, rejected_table: str, noun: str) -> list[str]:
        """The run's summary line `<noun> read N = loaded L + rejected R` (MISMATCH when they do not add up)."""
        rows = {table.table: table.rows for table in result.tables}
        loaded, rejected = rows.get(loaded_table, 0), rows.get(rejected_table, 0)
        mismatch = "" if self.records == loaded + rejected else "  MISMATCH"
        return [f"{noun} read {self.records} = loaded {loaded} + rejected {rejected}{mismatch}"]
