#!/usr/bin/env bash
# Install the orchestration extra (Dagster, dagster-webserver, dagster-dbt; pyproject.toml) into .venv when missing.
# Separate from scripts/bootstrap.sh so that `make demo` does not wait for it: `make orchestrate` and the tests
# (tests/python/orchestration) run it on first use. Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=.venv/.orchestration-$(sha256sum pyproject.toml | cut -c1-12)
if [[ ! -f "$stamp" ]] || ! .venv/bin/python -c 'import dagster, dagster_dbt, dagster_webserver' 2> /dev/null; then
  echo "install_orchestration: installing the orchestration packages into .venv"
  .venv/bin/pip install -q -e '.[dev,orchestration]'
  rm -f .venv/.orchestration-*
  touch "$stamp"
fi
