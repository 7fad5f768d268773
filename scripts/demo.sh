#!/usr/bin/env bash
# The main job, end to end, on the local services (`make demo` starts them first):
# generate the demo shop and 60 days of email events (first run) or simulate the next business day and its
# emails (later runs), produce a day of shop transactions on Kafka, load the sources, build the warehouse, and show
# a sample query.
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
mkdir -p "$(dirname "$WAREHOUSE_PATH")"
done_before() { [[ -f "$pending" ]] && grep -qx "$1" "$pending"; }

step "Checking the warehouse and the sources before simulating a day"
python -m demo preflight

if done_before shop; then
  step "Finishing the business day the last run simulated (it failed before publishing): no new day"
else
  # A shop with orders: a first `demo create` interrupted after its tables were made left them empty, and it is
  # generated again rather than ticked.
  orders_table=$(mariadb --defaults-file="$SERVICES_DIR/mariadb/my.cnf" -uroot -N -e \
    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='$MARIADB_DATABASE' AND table_name='orders'")
  has_orders=0
  if [[ "$orders_table" != 0 ]]; then
    has_orders=$(mariadb --defaults-file="$SERVICES_DIR/mariadb/my.cnf" -uroot -N -e \
      "SELECT EXISTS (SELECT 1 FROM \`$MARIADB_DATABASE\`.orders)")
  fi
  if [[ "$has_orders" == 0 ]]; then
    step "Generating the demo shop at scale ${SCALE:-1}"
    python -m demo create --scale "${SCALE:-1}"
    # the first day also brings the weeks of emails that lead up to the shop's latest orders (charts, attribution)
    echo first-day >> "$pending"
  else
    step "Simulating the next business day"
    python -m demo tick
  fi
  echo shop >> "$pending"
fi

if ! done_before emails; then
  if done_before first-day; then email_days=60 emails_per_day=150; else email_days=1 emails_per_day=2000; fi
  step "Generating $email_days day(s) of email events on the Kinesis stream"
  python -m demo emails --days "$email_days" --emails "$emails_per_day"
  echo emails >> "$pending"
fi

if ! done_before transactions; then
  step "Producing a day of shop transactions on Kafka"
  python -m demo shop --transactions 500
  echo transactions >> "$pending"
fi

step "Loading MySQL, Kinesis and Kafka into $WAREHOUSE_PATH"
python -m load run

step "Building the warehouse (dbt build) and publishing the marts to ${MARTS_PATH:-warehouse/marts.duckdb}"
scripts/build.sh
rm -f "$pending"

step "Source freshness"
# Stale sources are reported, not fatal: the demo shows the result either way. Sources are selected by name: the
# default selector (selectors.yml) is for `dbt build` and selects no source. Optional sources never loaded (the
# clickstream until its stream is configured) have no table to check yet.
unloaded_names=$(python scripts/unloaded_sources.py "${DBT_TARGET_PATH:-target}/manifest.json")  # fails the demo if it fails
read -r -a unloaded <<< "$unloaded_names"
exclude=()
if (( ${#unloaded[@]} )); then
  echo "Not loaded yet, so not checked: ${unloaded[*]}"
  exclude=(--exclude "${unloaded[@]}")
fi
# dbt exits 1 when a source is stale (shown above, the demo goes on) and 2 when dbt itself failed (the demo stops).
freshness=0
dbt source freshness --select "source:*" "${exclude[@]}" || freshness=$?
if (( freshness > 1 )); then
  echo "dbt source freshness failed (exit $freshness)" >&2
  exit "$freshness"
fi

step "Sample query on the published marts (warehouse: $WAREHOUSE_PATH)"
python scripts/sample_query.py scripts/sample_query.sql
