"""Which columns a whole copy gives a raw table that already exists: the source's, plus every one raw had.

A copy must not lose what only the warehouse knows:
- bookkeeping columns (`_cdc_order`, `_cdc_deleted`, `_dlt_id`, ...) that later merges write: kept, NULL in the
  copied rows (a copy is no change);
- columns the source dropped or renamed: kept, with each row's old value (joined on the primary key), so their
  history stays; rows changed from then on get NULL there;
- columns dlt's schema has but the table lacks (a warehouse copied by an older version): added, NULL.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dlt.common.schema.typing import TColumnSchema, TTableSchemaColumns

log = logging.getLogger("load.mysql")

LOAD_ID_COLUMN = "_dlt_load_id"  # as dlt's parquet normalizer adds it (add_dlt_load_id)
# Columns whose values describe a load or a change, not the source row: a copied row gets NULL.
BOOKKEEPING_PREFIXES = ("_cdc_", "_dlt_")
OLD = "old_raw"  # alias of the table being replaced, joined for the values of kept columns


@dataclass(frozen=True)
class KeptColumns:
    """The select-list items of kept columns, and whether they read the old table (joined on the key)."""

    items: list[str]
    joins_old_table: bool


def kept_columns(
    table: str,
    source_names: Sequence[str],
    existing: dict[str, str],
    schema_columns: TTableSchemaColumns,
    destination_type: Any,
    keyed: bool,
) -> KeptColumns:
    """Select-list items for the columns raw keeps beyond the source's `source_names` (dlt-normalized).

    `existing` are the old table's columns, `schema_columns` dlt's schema of the table; `destination_type` maps a
    dlt column schema to a DuckDB type; `keyed`: the old table has the key, so its values can be joined."""
    items, joins = [], False
    for name, data_type in existing.items():
        if name in source_names or name == LOAD_ID_COLUMN:
            continue
        if name.startswith(BOOKKEEPING_PREFIXES) or not keyed:
            items.append(f'CAST(NULL AS {data_type}) AS "{name}"')
        else:
            log.warning(
                "mysql: %s.%s is no longer in the source: raw keeps it with its values (NULL in rows changed "
                "from now on)",
                table,
                name,
            )
            items.append(f'{OLD}."{name}" AS "{name}"')
            joins = True
    for name, column in schema_columns.items():
        if name in source_names or name in existing or name == LOAD_ID_COLUMN or not column.get("data_type"):
            continue
        hint: TColumnSchema = {**column, "name": name}
        items.append(f'CAST(NULL AS {destination_type(hint)}) AS "{name}"')
    return KeptColumns(items, joins)


def key_join(target: str, source_key: Sequence[str], raw_key: Sequence[str]) -> str:
    """`LEFT JOIN` of the old table on the primary key (source names on the new side, raw names on the old)."""
    condition = " AND ".join(f'source_batches."{s}" = {OLD}."{r}"' for s, r in zip(source_key, raw_key, strict=True))
    return f" LEFT JOIN {target} AS {OLD} ON {condition}"
