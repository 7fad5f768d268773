"""Why a target is missed: the analysis behind each kind of target, from profiles of the same code.

Keyed by the start of the target's name (see bench/targets.py); shown in docs/performance.md for missed targets
only. The texts carry no figures: the figures are the run's own, in the tables beside them.
"""

from __future__ import annotations

WHY = {
    "full load >=": (
        "each loader run has a fixed cost whatever the table size: interpreter start and dlt import (dlt imports "
        "sqlglot, requests and its runtime eagerly), dlt's extract/normalize/load bookkeeping around the copy "
        "(schema, state, _dlt tables, the many resolutions of dlt's configuration). The copy itself runs near the "
        "`connectorx into DuckDB` floor row (one pass, "
        "load/mysql/direct_copy.py), so the ratio is lowest on small tables and rises as the fixed cost is spread "
        "over more rows. Going lower would mean a loader without dlt's state and schema handling, which the "
        "project's design rules out."
    ),
    "faster than ingestr": (
        "on small tables ingestr (dlt too, with no state restored from the warehouse) takes about our fixed "
        "per-run cost plus the copy: see the full-load table; on large tables that cost is spread thin."
    ),
    "CDC run with nothing to do": (
        "such a run skips dlt (load/mysql/unchanged.py) but still proves there is nothing to load: interpreter "
        "start, duckdb, pymysql and python-mysql-replication imports, the digest of the configuration inputs, "
        "the warehouse's committed state hash, then round trips to MySQL (the binlog position, the tables' check, "
        "the CDC settings and grants, a binlog dump probe). A run after any change, or after a run that did not "
        "record its state, goes through dlt once."
    ),
    "CDC run after a day tick": (
        "reading and decoding the day's row changes and building the change log take ~0.3 s of CPU at 10M "
        "(load/mysql/row_images.py decodes the row events); the rest is what any run that loads through dlt "
        "costs: interpreter and dlt import, pipeline setup, extract/normalize/load of the ~7 changed tables (each "
        "merge touches only the changed keys, tens of milliseconds at 10M), the lake export. On a busy machine all "
        "of it stretches. Going further: the per-run fixed cost of a dlt load."
    ),
    "faster than": "the peer named is faster at this scale: see the full-load table.",
    "peak RSS": "the loader's memory grew with the table: see the full-load table.",
    "no-change run": (
        "cursor mode copies its five reference tables whole on every run (that is how it sees their updates and "
        "deletes) and re-reads its lag window by design (every order dated within `lag_days` of the newest one, "
        "their lines and the payments) through dlt's extract, normalize and merge, on top of what a run with "
        "nothing to do costs (the CDC no-change row). Skipping unchanged reference tables with MariaDB's "
        "`CHECKSUM TABLE` was tried and taken out again: that checksum misses some changes (text moved between "
        "two columns, a new all-NULL column). CDC mode (the default) reads only the binlog."
    ),
    "incremental <= 10%": (
        "the work after a day tick does not depend on the table size (CDC replays the day's row changes through "
        "python-mysql-replication and merges them; cursor mode re-reads the lag window and copies the reference "
        "tables), and a run with nothing to do already costs a fixed amount (the no-change row), so the share "
        "falls as tables grow."
    ),
    "Kinesis -> raw": (
        "kinesis-local serves GetRecords slowly (one Node process, shared with every other client of the server) "
        "and both readers mostly wait for it. What the loader adds costs CPU, which on a loaded machine the server "
        "needs too: dlt's import and pipeline setup, the merge load and its commit, and the validation of each "
        "record. So the ratio falls as the machine's load rises."
    ),
    "Kafka -> raw": (
        "on the bench topic (a day of the shop's transactions) the bare consumer's whole run lasts well under a "
        "second, less than what any run of ours costs before it has read a message: interpreter and dlt import, "
        "pipeline state, extract / normalize / load of the raw tables (the `fixed run cost (empty topic)` row). A "
        "run cannot end before its own fixed work, so at this size no run of ours can beat the `highest reachable "
        "ratio` row, far under 0.8x. On a busy day's topic (`--kafka-transactions 150000`, 408,523 messages, "
        "bench/results/20261207T063604Z.json) that ceiling is 1.9x and ours reached 0.40x (62,730 vs 157,752 "
        "messages/s): there the bare consumer mostly waits for the broker's fetches (0.9 s of CPU in a 2.6 s run), "
        "while ours is bound by its own CPU, one core's worth: every message decoded and checked (about 4 us a "
        "message), handed to dlt as parquet, merged into raw (1.2 s), copied to the lake (0.35 s). Writing the "
        "rows straight into the warehouse instead of through dlt's parquet and staging (as whole MySQL copies do) "
        "was tried: the merge then moves to the publishing step and the run took as long (6.2-6.6 s vs 6.4 s)."
    ),
    "Kinesis clickstream -> raw": (
        "as for the email stream: both readers mostly wait for kinesis-local, and the loader's fixed cost per run "
        "(dlt import, pipeline setup, the merge load) weighs most on a short stream, so the ratio rises with the "
        "number of records."
    ),
    "dbt daily build": (
        "only fct_order_lines and the email facts are incremental: every other mart is a table rebuilt each run, "
        "and agg_sales_daily, fct_orders, fct_customer_balances and fct_payments re-read every order line or "
        "payment, so the daily build costs about the full build minus fct_order_lines' first build. On top comes "
        "a fixed cost whatever the scale: dbt's own start (imports, the partial-parse check, manifest.json, the "
        "artifacts at the end) and some 200 nodes, each with its own Python overhead, on two threads (about half "
        "of a build at 1M). A lower "
        "share needs agg_sales_daily (the largest daily node) and the marts built from every line incremental "
        "again, by whole order dates. See the slowest daily nodes under the dbt build table."
    ),
    "dbt full build >=": (
        "both builds spend most of their time in the same work on every order line: fct_order_lines (the "
        "point-in-time joins, and writing five md5 key columns per line: about 60% of its write) and "
        "agg_sales_daily (each line costed, then five grouping sets, and the distinct orders per group counted "
        "from per-order bit sets). The simplification took out bookkeeping columns and the tests on them, not "
        "that work, so the full builds differ by what agg_sales_daily's counting saves. Going further would change "
        "the marts' key representation (contracts)."
    ),
}


def why(target: str) -> str:
    """The explanation of one missed target, without the target's name ('' when none is written)."""
    return next((text for prefix, text in WHY.items() if target.startswith(prefix)), "")
