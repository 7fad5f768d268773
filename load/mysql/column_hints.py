"""dlt's column hints of MySQL tables, read from information_schema in one statement.

A whole copy needs only the hints dlt's `sql_table` reflection gives its columns (`reflection_level="full"`): the
dlt data type, a decimal's precision and scale, nullability. Reflecting through SQLAlchemy costs an import of
SQLAlchemy and dlt's sql_database plus several statements per table: a fifth of a whole copy's fixed cost. This
reads the same facts in one statement and maps them the way dlt maps SQLAlchemy's MySQL types
(dlt/sources/sql_database/schema_types.py). A table with a column type not listed here gets no hints from here:
its copy reflects it the SQLAlchemy way, so an unusual type can never get a hint dlt would not give it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from load.mysql.connection import open_connection
from load.mysql.preflight import SharedTlsConnection

if TYPE_CHECKING:
    from dlt.common.schema.typing import TTableSchemaColumns

# MySQL's DATA_TYPE -> dlt data type, as dlt maps the SQLAlchemy type the MySQL dialect reflects it as. (dlt
# leaves FLOAT and DOUBLE untyped: they are not listed, so their tables keep dlt's own reflection.)
DLT_DATA_TYPES = {
    **dict.fromkeys(("tinyint", "smallint", "mediumint", "int", "bigint"), "bigint"),
    **dict.fromkeys(("decimal", "numeric"), "decimal"),
    **dict.fromkeys(("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set"), "text"),
    **dict.fromkeys(("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"), "binary"),
    "date": "date",
    **dict.fromkeys(("datetime", "timestamp"), "timestamp"),
    "time": "time",
}
COLUMNS_OF_TABLES = (
    "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_NULLABLE, NUMERIC_PRECISION, NUMERIC_SCALE"
    " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ({placeholders})"
    " ORDER BY TABLE_NAME, ORDINAL_POSITION"
)


def column_hints(url: str, tables: Sequence[str], all_nullable: bool = False) -> dict[str, TTableSchemaColumns]:
    """The column hints of each of `tables` whose every column type is mapped here (others are left out).
    `all_nullable`: every column nullable, as CDC copies keep them (table_resources.py)."""
    if not tables:
        return {}
    with open_connection(url, SharedTlsConnection) as connection, connection.cursor() as cursor:
        cursor.execute(COLUMNS_OF_TABLES.format(placeholders=", ".join(["%s"] * len(tables))), list(tables))
        rows = cursor.fetchall()
    hints: dict[str, TTableSchemaColumns] = {}
    unmapped: set[str] = set()
    for table, column, data_type, is_nullable, precision, scale in rows:
        hint = _hint(column, str(data_type).lower(), all_nullable or is_nullable == "YES", precision, scale)
        if hint is None:
            unmapped.add(table)
        hints.setdefault(table, {})[column] = hint  # type: ignore[assignment]
    return {table: columns for table, columns in hints.items() if table not in unmapped}


def _hint(column: str, data_type: str, nullable: bool, precision: Any, scale: Any) -> dict[str, Any] | None:
    dlt_type = DLT_DATA_TYPES.get(data_type)
    if dlt_type is None:
        return None
    hint: dict[str, Any] = {"name": column, "nullable": nullable, "data_type": dlt_type}
    if dlt_type == "decimal" and precision is not None:
        hint["precision"] = int(precision)
        if scale is not None:
            hint["scale"] = int(scale)
    elif dlt_type == "timestamp":
        hint["timezone"] = False  # MySQL's DATETIME and TIMESTAMP as the dialect reflects them
    return hint
