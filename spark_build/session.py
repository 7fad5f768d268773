"""The local Spark session of the `spark` target: Iceberg tables in Spark's built-in Hive catalog (a Derby
metastore and the warehouse folder under a state folder), the Iceberg runtime jar from the local venv."""

from __future__ import annotations

import os
from pathlib import Path

from pyspark.sql import SparkSession

# Git-ignored; the metastore and the Iceberg tables of the `spark` target live here unless SPARK_STATE_DIR says.
DEFAULT_STATE_DIR = Path(".spark")
ICEBERG_JAR_PACKAGE = "snowpark_connect_deps_iceberg"


def iceberg_jar() -> Path:
    """The Iceberg runtime for Spark 3.5, shipped inside a PyPI package (Maven is not reachable offline)."""
    import importlib.util

    spec = importlib.util.find_spec(ICEBERG_JAR_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{ICEBERG_JAR_PACKAGE} is not installed: run scripts/spark_extras.sh")
    # pyspark 3.5 runs on Scala 2.12; the package also ships the 2.13 build.
    jar_folder = Path(next(iter(spec.submodule_search_locations)), "jars")
    jars = sorted(jar_folder.glob("iceberg-spark-runtime-3.5_2.12-*.jar"))
    if not jars:
        raise RuntimeError(f"no iceberg-spark-runtime-3.5_2.12 jar in {jar_folder}")
    return jars[-1]


def session_settings(state_dir: Path) -> dict[str, str]:
    state = state_dir.resolve()
    return {
        "spark.master": os.environ.get("SPARK_MASTER", "local[2]"),
        "spark.jars": str(iceberg_jar()),
        "spark.sql.extensions": "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
        "spark.sql.catalog.spark_catalog": "org.apache.iceberg.spark.SparkSessionCatalog",
        "spark.sql.catalog.spark_catalog.type": "hive",
        # Without it the Hive catalog waits forever for a lock table the embedded metastore lacks.
        "spark.hadoop.iceberg.engine.hive.lock-enabled": "false",
        "spark.sql.warehouse.dir": str(state / "warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={state / 'metastore'};create=true",
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={state}",
        # Timestamps are UTC whatever the machine's zone (the DuckDB build stores UTC too).
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": os.environ.get("SPARK_SHUFFLE_PARTITIONS", "4"),
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.memory": os.environ.get("SPARK_DRIVER_MEMORY", "1g"),
    }


def start_session(state_dir: Path = DEFAULT_STATE_DIR) -> SparkSession:
    state_dir.mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder.appName("commerce_dw").enableHiveSupport()
    for key, value in session_settings(state_dir).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
