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

orders_table=$(mariadb --defaults-file="$SERVICES_DIR/mariadb/my.cnf" -uroot -N -e \
  "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='$MARIADB_DATABASE' AND table_name='orders'")
email_days=1 emails_per_day=2000
if [[ "$orders_table" == 0 ]]; then
  step "Generating the demo shop at scale ${SCALE:-1}"
  python -m load.demo create --scale "${SCALE:-1}"
  # the first run also puts the weeks of emails that lead up to the shop's latest orders (charts, attribution)
  email_days=60 emails_per_day=150
else
  step "Simulating the next business day"
  python -m load.demo tick
fi

step "Generating $email_days day(s) of email events on the Kinesis stream"
python -m load.demo emails --days "$email_days" --emails "$emails_per_day"

step "Loading MySQL and Kinesis into $WAREHOUSE_PATH"
python -m load run

step "Building the warehouse (dbt build) and publishing the marts to ${MARTS_PATH:-warehouse/marts.duckdb}"
scripts/build.sh

step "Source freshness"
# Stale sources are reported, not fatal: the demo shows the result either way.
dbt source freshness || true

step "Sample query on the published marts (warehouse: $WAREHOUSE_PATH)"
python scripts/sample_query.py scripts/sample_query.sql
