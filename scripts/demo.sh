#!/usr/bin/env bash
# The main job, end to end, on the local services (`make demo` starts them first):
# generate the demo shop (first run) or simulate the next business day (later runs), generate a day of
# email events, load both sources, build the warehouse, and show a sample query.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

# shellcheck source=scripts/services_conf.sh
source scripts/services_conf.sh

step() { printf '\n==> %s\n' "$*"; }

export WAREHOUSE_PATH="${WAREHOUSE_PATH:-warehouse/commerce_dw.duckdb}"
# The steps of the current demo day already done by a run that then failed: a rerun finishes that day instead of
# simulating another, so every successful run adds exactly one business day.
pending="$WAREHOUSE_PATH.demo-pending"
done_before() { [[ -f "$pending" ]] && grep -qx "$1" "$pending"; }

step "Checking the warehouse and both sources before simulating a day"
python -m demo preflight

if done_before shop; then
  step "Finishing the business day the last run simulated (it failed before publishing): no new day"
else
  orders_table=$(mariadb --defaults-file="$SERVICES_DIR/mariadb/my.cnf" -uroot -N -e \
    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='$MARIADB_DATABASE' AND table_name='orders'")
  if [[ "$orders_table" == 0 ]]; then
    step "Generating the demo shop at scale ${SCALE:-1}"
    python -m demo create --scale "${SCALE:-1}"
  else
    step "Simulating the next business day"
    python -m demo tick
  fi
  mkdir -p "$(dirname "$WAREHOUSE_PATH")"
  echo shop >> "$pending"
fi

if ! done_before emails; then
  step "Generating a day of email events on the Kinesis stream"
  python -m demo emails
  echo emails >> "$pending"
fi

step "Loading MySQL and Kinesis into $WAREHOUSE_PATH"
python -m load run

step "Building the warehouse (dbt build) and publishing the marts to ${MARTS_PATH:-warehouse/marts.duckdb}"
scripts/build.sh
rm -f "$pending"

step "Source freshness"
# Stale sources are reported, not fatal: the demo shows the result either way. Sources are selected by name: the
# default selector (selectors.yml) is for `dbt build` and selects no source.
dbt source freshness --select "source:*" || true

step "Sample query on the published marts (warehouse: $WAREHOUSE_PATH)"
python scripts/sample_query.py scripts/sample_query.sql
