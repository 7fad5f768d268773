"""The warehouse's raw tables as Spark views over the lake's files, rebuilt from the load manifests.

Layout (shared with the lake writer): <lake>/<dataset>/<table>/load_date=<day>/<file>.parquet and
<lake>/<dataset>/_manifests/<load_id>.json. A raw table is its loads replayed in load-id order under the table's
write disposition: append -> every row; replace -> the rows of the latest load; merge with delete-insert -> per
primary key the rows of the latest load that has the key (gone when its hard-delete column is true); merge with
insert-only -> per primary key the row of the earliest load. Only files a manifest lists are read, so the files of
a load that never committed (no manifest) are left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

# The load a lake row came from, added to each view beside the table's own columns.
LAKE_LOAD_COLUMN = "_lake_load_id"
# <dataset>.<table><suffix>: the table over a raw table's parquet files that its view reads.
FILES_TABLE_SUFFIX = "__lake_files"


class LakeError(ValueError):
    """A manifest the replay cannot follow (unknown disposition, merge without a key, a file listed twice)."""


@dataclass(frozen=True)
class TableLoad:
    load_id: str
    files: tuple[str, ...]  # paths ending <table>/load_date=<day>/<file>.parquet
    write_disposition: str
    merge_strategy: str | None
    primary_key: tuple[str, ...]
    hard_delete_column: str | None
    dedup_sort: tuple[tuple[str, str], ...] = ()  # (column, asc|desc): which row of a key a merge keeps


@dataclass(frozen=True)
class LakeTable:
    dataset: str
    name: str
    loads: tuple[TableLoad, ...]  # in load-id order


def tables_from_manifests(dataset: str, manifests: list[dict[str, Any]]) -> list[LakeTable]:
    """The tables of one dataset with their loads, from that dataset's manifests (any order)."""
    loads_by_table: dict[str, list[TableLoad]] = {}
    for manifest in sorted(manifests, key=lambda manifest: manifest["load_id"]):
        if manifest["dataset"] != dataset:
            raise LakeError(f"manifest {manifest['load_id']} is for {manifest['dataset']}, not {dataset}")
        for table, entry in manifest["tables"].items():
            load = TableLoad(
                load_id=manifest["load_id"],
                files=tuple(entry["files"]),
                write_disposition=entry["write_disposition"],
                merge_strategy=entry.get("merge_strategy"),
                primary_key=tuple(entry.get("primary_key") or ()),
                hard_delete_column=entry.get("hard_delete_column"),
                dedup_sort=tuple((entry.get("dedup_sort") or {}).items()),
            )
            if load.write_disposition not in ("append", "replace", "merge"):
                raise LakeError(f"{dataset}.{table}: unknown write_disposition {load.write_disposition!r}")
            if load.write_disposition == "merge" and not load.primary_key:
                raise LakeError(f"{dataset}.{table}: load {load.load_id} merges without a primary_key")
            loads_by_table.setdefault(table, []).append(load)
    return [LakeTable(dataset, name, tuple(loads)) for name, loads in sorted(loads_by_table.items())]


def read_manifests(manifest_texts: list[str]) -> list[dict[str, Any]]:
    return [json.loads(text) for text in manifest_texts]


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _identifier(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _file_key(relative_path: str) -> str:
    """What identifies a lake file in Spark's _metadata.file_path: its last two path parts (partition/file)."""
    parts = PurePosixPath(relative_path).parts
    return "/".join(parts[-2:])


def _replayed_loads(table: LakeTable) -> list[TableLoad]:
    """The loads that make the table now: from its last `replace` on (all of them when none replaced it)."""
    loads = list(table.loads)
    last_replace = max((index for index, load in enumerate(loads) if load.write_disposition == "replace"), default=0)
    return loads[last_replace:]


def file_urls(table: LakeTable, dataset_url: str) -> list[str]:
    """The parquet files of the loads that make the table now, as URLs under the table's folder."""
    base = f"{dataset_url.rstrip('/')}/{table.name}"
    return [f"{base}/{_file_key(file)}" for load in _replayed_loads(table) for file in load.files]


def files_table_name(table: LakeTable) -> str:
    return f"{table.name}{FILES_TABLE_SUFFIX}"


def files_table_sql(table: LakeTable, dataset_url: str, columns_ddl: str) -> list[str]:
    """A table over every parquet file of the table's folder with the loads' merged columns (declared once here:
    no schema inference per query); the view (view_sql) keeps the files its manifests list."""
    name = f"{_identifier(table.dataset)}.{_identifier(files_table_name(table))}"
    location = f"{dataset_url.rstrip('/')}/{table.name}"
    return [
        f"drop table if exists {name}",
        f"create table {name} ({columns_ddl}) using parquet"
        f" options (path {_literal(location)}, recursiveFileLookup 'true')",
    ]


def view_drop_sql(table: LakeTable) -> str:
    """Iceberg's session catalog makes views Iceberg views, and `create or replace view` on an existing one keeps
    the old definition: a view is dropped and created."""
    return f"drop view if exists {_identifier(table.dataset)}.{_identifier(table.name)}"


def view_sql(table: LakeTable, columns: list[str]) -> str:
    """CREATE VIEW <dataset>.<table> (drop it first: view_drop_sql) replaying the table's loads over its files table
    (files_table_sql); the view has _lake_load_id and the given columns (the files table's)."""
    replayed = _replayed_loads(table)
    file_rows = []
    seen: set[str] = set()
    for load in replayed:
        for file in load.files:
            key = _file_key(file)
            if key in seen:
                raise LakeError(f"{table.dataset}.{table.name}: file {file} is listed twice")
            seen.add(key)
            file_rows.append(f"({_literal(key)}, {_literal(load.load_id)})")
    files_table = f"{_identifier(table.dataset)}.{_identifier(files_table_name(table))}"
    lake_rows = (
        f"select files.{LAKE_LOAD_COLUMN}, rows_read.*\n"
        f"    from {files_table} as rows_read\n"
        f"    inner join (values {', '.join(file_rows)}) as files (lake_file, {LAKE_LOAD_COLUMN})\n"
        f"        on regexp_extract(rows_read._metadata.file_path, '([^/]+/[^/]+)$', 1) = files.lake_file"
    )
    latest = replayed[-1]
    if latest.write_disposition == "replace":
        kept = f"select * from lake_rows where {LAKE_LOAD_COLUMN} = {_literal(latest.load_id)}"
    elif latest.write_disposition == "append":
        kept = "select * from lake_rows"
    else:
        key = [_identifier(column) for column in latest.primary_key]
        pick = "min" if latest.merge_strategy == "insert-only" else "max"
        same_key = " and ".join(f"lake_rows.{column} <=> kept_loads.{column}" for column in key)
        kept = (
            "select lake_rows.* from lake_rows\n"
            f"inner join (\n    select {', '.join(key)}, {pick}({LAKE_LOAD_COLUMN}) as kept_load\n"
            f"    from lake_rows group by {', '.join(key)}\n) as kept_loads\n"
            f"    on {same_key} and lake_rows.{LAKE_LOAD_COLUMN} = kept_loads.kept_load"
        )
        if latest.hard_delete_column:
            kept += f"\nwhere not coalesce(cast(lake_rows.{_identifier(latest.hard_delete_column)} as boolean), false)"
        if latest.dedup_sort and latest.merge_strategy != "insert-only":
            order = ", ".join(f"{_identifier(column)} {direction}" for column, direction in latest.dedup_sort)
            kept = (
                f"select * from (\n    select *, row_number() over (partition by {', '.join(key)} order by {order})"
                f" as lake_row_rank\n    from ({kept}) as merged\n) as ranked where lake_row_rank = 1"
            )
    selected = ", ".join([LAKE_LOAD_COLUMN, *(_identifier(column) for column in columns)])
    return (
        f"create view {_identifier(table.dataset)}.{_identifier(table.name)} as\n"
        f"with lake_rows as (\n    {lake_rows}\n)\nselect {selected} from (\n{kept}\n) as replayed"
    )
