"""Publish the lake's raw tables in a Spark session: one schema per dataset, one view per table (lake_sources)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from load.lake.location import default_lake_path
from spark_build.lake_sources import (
    LakeError,
    file_urls,
    files_table_sql,
    read_manifests,
    tables_from_manifests,
    view_drop_sql,
    view_sql,
)


def _file_system(session: SparkSession, url: str) -> tuple[Any, Any]:
    """Hadoop's FileSystem for a URL (a local folder or an object store), and the URL as a Hadoop Path."""
    jvm = session.sparkContext._jvm  # Hadoop's FileSystem: only through py4j
    path = jvm.org.apache.hadoop.fs.Path(url)
    return path.getFileSystem(session.sparkContext._jsc.hadoopConfiguration()), path


def _datasets(session: SparkSession, lake_url: str) -> list[str]:
    """The lake's datasets: its folders that hold load manifests (raw_classicmodels, raw_email, ...)."""
    file_system, root = _file_system(session, lake_url)
    if not file_system.exists(root):
        return []
    folders = [status.getPath().getName() for status in file_system.listStatus(root) if status.isDirectory()]
    manifests = {name: _file_system(session, f"{lake_url}/{name}/_manifests")[1] for name in folders}
    return sorted(name for name, path in manifests.items() if file_system.exists(path))


def _manifest_texts(session: SparkSession, manifests_url: str) -> list[str]:
    """Every manifest of one dataset, read through Hadoop's file system (a local folder or an object store)."""
    file_system, path = _file_system(session, manifests_url)
    if not file_system.exists(path):
        return []
    texts = []
    for status in file_system.listStatus(path):
        if status.getPath().getName().endswith(".json"):
            rows = session.read.text(status.getPath().toString(), wholetext=True).collect()
            texts.append(rows[0][0])
    return texts


def publish_lake_sources(session: SparkSession, lake_url: str) -> int:
    """Create or replace a view per lake table; returns how many. A lake without any manifest is an error."""
    published = 0
    root = _absolute(lake_url).rstrip("/")
    for dataset in _datasets(session, root):
        dataset_url = f"{root}/{dataset}"
        manifests = read_manifests(_manifest_texts(session, f"{dataset_url}/_manifests"))
        if not manifests:
            continue
        session.sql(f"create schema if not exists {dataset}")
        for table in tables_from_manifests(dataset, manifests):
            # the loads' columns merged once, from the footers of the files the manifests list
            schema = session.read.option("mergeSchema", "true").parquet(*file_urls(table, dataset_url)).schema
            columns_ddl = ", ".join(f"`{field.name}` {field.dataType.simpleString()}" for field in schema.fields)
            for statement in files_table_sql(table, dataset_url, columns_ddl):
                session.sql(statement)
            session.sql(view_drop_sql(table))
            session.sql(view_sql(table, schema.fieldNames()))
            published += 1
    if not published:
        raise LakeError(f"no load manifests under {lake_url}: load the sources first (python -m load run)")
    return published


def _absolute(url: str) -> str:
    if "://" in url:
        return url
    return Path(url).resolve().as_uri()


def configured_lake_url() -> str:
    """Where the loaders write the lake, resolved as they do (load.lake.location): LAKE_URL, else dlt's
    `[lake] bucket_url` (env LAKE__BUCKET_URL or .dlt/config.toml), else the warehouse's default lake."""
    url = os.environ.get("LAKE_URL") or os.environ.get("LAKE__BUCKET_URL")
    config = Path(".dlt/config.toml")
    if not url and config.exists():
        url = tomllib.loads(config.read_text()).get("lake", {}).get("bucket_url")
    if url:
        return str(url)
    return str(default_lake_path())
