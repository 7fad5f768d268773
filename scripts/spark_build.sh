#!/usr/bin/env bash
# `make build TARGET=spark`: dbt build on the `spark` target (Spark 3.5 local, Iceberg tables in Spark's Hive
# catalog under .spark/), its sources the lake's files (LAKE_URL; by default where the loaders write it,
# lake/ in the project). Installs Java and the Spark extras (.venv-spark/) first when missing.
# Usage: scripts/spark_build.sh [dbt build arguments...]
# Env: LAKE_URL, SPARK_STATE_DIR (default .spark/), SPARK_MASTER (default local[2]), and dbt's own.
set -euo pipefail
cd "$(dirname "$0")/.."
export DBT_PROFILES_DIR="${DBT_PROFILES_DIR:-$PWD}"

scripts/spark_extras.sh
empty_selection_fails='{"error": ["NoNodesForSelectionCriteria", "NothingToDo"]}'
export DBT_WARN_ERROR_OPTIONS="${DBT_WARN_ERROR_OPTIONS:-$empty_selection_fails}"
exec .venv-spark/bin/python -m spark_build build "$@"
