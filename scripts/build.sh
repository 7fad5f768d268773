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
# Build and publication under the warehouse writer lock (loaders wait for them, and they for loaders: a load
# between the two would hold the file the publication reads); a warehouse held open elsewhere fails in one line
# before dbt starts.
python -m load.warehouse_access bash -c 'dbt build "$@" && python -m load.publish' build "$@"
