#!/usr/bin/env bash
# Build the warehouse, then publish the marts to the analysts' read-only file, only if the build succeeded.
# Usage: scripts/build.sh [dbt build arguments...]      (`make build`; `make demo` runs it after the load)
# Env: WAREHOUSE_PATH (default warehouse/commerce_dw.duckdb), MARTS_PATH (default warehouse/marts.duckdb),
#      and dbt's own (DBT_TARGET_PATH, DBT_PROFILES_DIR, ...). A failed build exits non-zero and publishes nothing,
#      and so does a selection that matches nothing (dbt only warns, and publishing would pass off old marts).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export DBT_PROFILES_DIR="${DBT_PROFILES_DIR:-$PWD}"

empty_selection_fails='{"error": ["NoNodesForSelectionCriteria", "NothingToDo"]}'
export DBT_WARN_ERROR_OPTIONS="${DBT_WARN_ERROR_OPTIONS:-$empty_selection_fails}"
# Under the warehouse writer lock (loaders wait for the build, and the build for them); a warehouse held open
# elsewhere fails in one line before dbt starts.
python -m load.warehouse_access dbt build "$@"
python -m load.publish
