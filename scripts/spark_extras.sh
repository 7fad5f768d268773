#!/usr/bin/env bash
# Install the Spark extras when missing: Java (Debian openjdk-17-jre-headless) and a venv of its own at
# .venv-spark/ (pyspark 3.5, dbt-spark session, the Iceberg runtime jar), kept apart from .venv because it weighs
# ~570 MB and only the `spark` target needs it. Safe to rerun: each step is skipped when already done.
# `make build TARGET=spark` and the Spark tests (tests/python/spark) run it on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
# One install at a time: the test session starts this in the background and a Spark test may run it again meanwhile;
# the second waits here, then finds everything done.
exec {install_lock}< scripts/spark_extras.sh
flock "$install_lock"

log() { echo "spark_extras: $*"; }
sudo_if_needed() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

if ! command -v java > /dev/null; then
  log "installing Java (Debian openjdk-17-jre-headless)"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless > /dev/null
fi

# The Iceberg jar comes from PyPI (Maven is not reachable offline); 1.0.3 of that package ships a jar missing its
# shaded jackson classes, so the pin stays at 1.0.1.
requirements=(
  "pyspark>=3.5,<3.6"
  "dbt-core>=1.11,<1.12"
  "dbt-spark[session]==1.11.0"
  "snowpark-connect-deps-iceberg==1.0.1"
)
stamp=.venv-spark/.installed-$(printf '%s\n' "${requirements[@]}" | sha256sum | cut -c1-12)
if [[ ! -f "$stamp" ]]; then
  python_bin=$(command -v python3.11 || command -v python3)
  [[ -x .venv-spark/bin/python ]] || "$python_bin" -m venv .venv-spark
  log "installing pyspark, dbt-spark and the Iceberg runtime into .venv-spark (~570 MB, first time only)"
  .venv-spark/bin/pip install -q --upgrade pip
  # --no-compile: bytecode is written on first import, for what Spark's driver imports only
  .venv-spark/bin/pip install -q --no-compile "${requirements[@]}"
  rm -f .venv-spark/.installed-*
  touch "$stamp"
fi
