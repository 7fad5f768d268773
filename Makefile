# commerce_dw — every entry point a user or CI needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY := .venv/bin/python
DBT := .venv/bin/dbt
export PATH := $(CURDIR)/.venv/bin:$(PATH):/usr/sbin
export WAREHOUSE_PATH ?= warehouse/commerce_dw.duckdb
export DBT_PROFILES_DIR ?= $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS ?= False
export RUNTIME__DLTHUB_TELEMETRY ?= false
SCALE ?= 1
DOCS_PORT ?= 8080
DOCS_DIR = $(or $(DBT_TARGET_PATH),target)

.PHONY: help install services-up services-down demo build sql test test-python test-dbt lint docs docs-serve \
	dashboards dashboards-down orchestrate bench clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install: ## install what is missing (.venv, Debian packages, npm Kinesis server)
	@scripts/bootstrap.sh

services-up: install ## start local MariaDB, Kinesis and Kafka (no-op when running)
	@scripts/services.sh up
	@$(PY) -m demo stream

services-down: ## stop local MariaDB, Kinesis and Kafka
	@scripts/services.sh down

demo: services-up ## generate (first run) or tick a day, load, build, show a sample query
	@scripts/demo.sh

# The shared test server keeps its streams in memory only (the restart tests start private servers that persist).
test: export KINESIS_PERSIST = false
test: services-up ## run every test: lint, pytest (real MariaDB / Kinesis), dbt build
	@$(MAKE) --no-print-directory lint
	@scripts/install_orchestration.sh
	@$(PY) -m pytest -q

build: install ## dbt build, then publish the marts to MARTS_PATH (only if the build passed); TARGET=spark: on Spark
	@if [[ "$(TARGET)" == spark ]]; then scripts/spark_build.sh; else scripts/build.sh; fi

sql: install ## run analyses/FILE.sql on the published marts: make sql FILE=analyses/time_to_ship.sql
	@test -n "$(FILE)" || { echo "usage: make sql FILE=analyses/<question>.sql"; exit 2; }
	@$(PY) -m load.analysis $(FILE)

lint: install ## ruff over Python, sqlfluff over SQL, and no SQL that only DuckDB or only Spark accepts
	@$(PY) -m ruff check $(wildcard load demo tests bench orchestration dashboards spark_build scripts)
	@$(PY) -m ruff format --check $(wildcard load demo tests bench orchestration dashboards spark_build scripts)
	@$(PY) -m spark_build.shared_sql_check
	@.venv/bin/sqlfluff lint --disable-progress-bar --nocolor models snapshots analyses tests/dbt

docs: install ## build the offline dbt docs site (target/static_index.html)
	@mkdir -p "$(dir $(WAREHOUSE_PATH))"
	@$(DBT) docs generate --static
	@echo "docs: $(DOCS_DIR)/static_index.html"

docs-serve: docs ## serve the docs site on http://127.0.0.1:DOCS_PORT (default 8080)
	@echo "docs: http://127.0.0.1:$(DOCS_PORT)/static_index.html (Ctrl-C stops)"
	@$(PY) -m http.server $(DOCS_PORT) --bind 127.0.0.1 --directory "$(DOCS_DIR)"

orchestrate: services-up ## the Dagster UI on http://127.0.0.1:3000 (installs Dagster on first use; Ctrl-C stops)
	@scripts/orchestrate.sh

dashboards: ## Superset on http://127.0.0.1:8088 with the dashboards of dashboards/bundle/ (installs on first use)
	@dashboards/superset.sh up

dashboards-down: ## stop Superset
	@dashboards/superset.sh down

bench: services-up ## run the benchmarks (not part of make test)
	@$(PY) -m bench

clean: services-down ## remove the local warehouse and its lake, services data and build output
	rm -rf warehouse lake .services target logs
