"""One declared load strategy per classicmodels table.

- replace: small reference tables, copied whole on every run (they see every update and delete).
- cursor: merged on the primary key, re-reading rows whose cursor date is within `lag_days` of the
  newest date already loaded, so late changes inside that window are caught.
- follow: tables with no cursor column of their own (orderdetails) re-read the rows of the parent rows
  the cursor re-reads (the lines of every order inside the window).

On the first load into a warehouse every table is copied whole (direct_copy.py), so a new source or a new
warehouse always starts from a full, clean copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Mode = Literal["replace", "cursor", "follow"]


@dataclass(frozen=True)
class TableStrategy:
    table: str
    mode: Mode
    primary_key: tuple[str, ...]
    cursor: str | None = None
    # For mode "follow": the parent table and the join column shared with it.
    parent: str | None = None
    parent_key: str | None = None


STRATEGIES: tuple[TableStrategy, ...] = (
    TableStrategy("productlines", "replace", ("productLine",)),
    TableStrategy("products", "replace", ("productCode",)),
    TableStrategy("offices", "replace", ("officeCode",)),
    TableStrategy("employees", "replace", ("employeeNumber",)),
    TableStrategy("customers", "replace", ("customerNumber",)),
    TableStrategy("orders", "cursor", ("orderNumber",), cursor="orderDate"),
    TableStrategy("orderdetails", "follow", ("orderNumber", "productCode"), parent="orders", parent_key="orderNumber"),
    TableStrategy("payments", "cursor", ("customerNumber", "checkNumber"), cursor="paymentDate"),
)

TABLES: tuple[str, ...] = tuple(strategy.table for strategy in STRATEGIES)
_BY_TABLE = {strategy.table: strategy for strategy in STRATEGIES}  # looked up once per binlog row change
DATASET = "raw_classicmodels"


def strategy_for(table: str) -> TableStrategy:
    return _BY_TABLE[table]
