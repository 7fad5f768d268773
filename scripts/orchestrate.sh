#!/usr/bin/env bash
# The Dagster UI on the local services (`make orchestrate`): http://127.0.0.1:${DAGSTER_PORT:-3000}.
# Ctrl-C stops the webserver, the daemon and the code server it started.
# Env: DAGSTER_HOME (default .dagster/ here, git-ignored), DAGSTER_PORT, and the loaders' and dbt's own settings.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_orchestration.sh
export PATH="$PWD/.venv/bin:$PATH"
export DAGSTER_HOME="${DAGSTER_HOME:-$PWD/.dagster}"
mkdir -p "$DAGSTER_HOME"
cp orchestration/dagster.yaml "$DAGSTER_HOME/dagster.yaml"
exec dagster dev -m orchestration.definitions -h 127.0.0.1 -p "${DAGSTER_PORT:-3000}"
