"""`python -m bench [--scales 1m,10m] [--repeats 3] [--only mysql,kinesis,dbt]`: run, save JSON, print targets."""

from __future__ import annotations

import argparse
import json
import logging
import shlex
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench import (
    clickstream_bench,
    contenders,
    dbt_bench,
    full_load,
    incremental,
    kafka_bench,
    kinesis_bench,
    machine,
    orchestration_bench,
    peers,
    source_db,
    spark_bench,
    superset_bench,
)
from bench.figures import Figure, Skipped
from bench.process import CommandFailed
from bench.report import update_report
from bench.settings import KINESIS_STREAM_PREFIX, RESULTS_DIR, Scale, loader_url, parse_scale
from bench.targets import evaluate

log = logging.getLogger("bench")
BENCHMARKS = ("mysql", "incremental", "kinesis", "clickstream", "kafka", "dbt", "spark", "orchestration", "superset")
# Benchmarks that need no source database at a bench scale.
SCALELESS = {"superset", "kafka", "clickstream"}
LOADER_BENCHMARKS = {"mysql", "incremental"}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scales", default="1m,10m", help="orderdetails sizes, e.g. 100k,1m,10m (default 1m,10m)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument("--slow-repeats", type=int, help="runs of sling and dlt defaults (default: --repeats)")
    parser.add_argument(
        "--dlt-default-max-rows",
        type=int,
        default=1_000_000,
        help="measure dlt's sqlalchemy default only up to this scale (it runs ~170 s per 1M rows)",
    )
    parser.add_argument("--only", default=",".join(BENCHMARKS), help=f"any of {','.join(BENCHMARKS)}")
    parser.add_argument("--modes", default="cdc,cursor", help="MySQL capture modes for the incremental runs")
    parser.add_argument("--dbt-scales", default="", help="scales of the dbt builds (default: the two largest)")
    parser.add_argument(
        "--dbt-baseline",
        default=dbt_bench.BASELINE_COMMIT,
        help="commit whose full dbt build is measured beside ours ('' to skip; default %(default)s)",
    )
    parser.add_argument(
        "--spark-scales",
        default="sf1,sf10",
        help="scales of the Spark vs DuckDB builds (default sf1,sf10: the demo shop's scale factors; a Spark build "
        "on two cores takes minutes at SF1 and grows to hours at 10m)",
    )
    parser.add_argument("--kinesis-emails", type=int, default=30_000, help="emails put on the bench stream")
    parser.add_argument("--kinesis-shards", type=int, default=8)
    parser.add_argument("--kafka-transactions", type=int, default=40_000, help="shop transactions on the bench topic")
    parser.add_argument("--clickstream-visits", type=int, default=5000, help="visits on the clickstream bench stream")
    parser.add_argument("--clickstream-shards", type=int, default=8)
    parser.add_argument("--clickstream-live-seconds", type=float, default=60, help="seconds of live views, per repeat")
    parser.add_argument("--clickstream-follow", type=float, default=10, help="--follow SECONDS of the latency runs")
    parser.add_argument("--no-peers", action="store_true", help="skip ingestr and sling")
    parser.add_argument("--keep", action="store_true", help="keep the bench databases and stream afterwards")
    parser.add_argument("--reuse-source", action="store_true", help="use bench databases kept by --keep as they are")
    parser.add_argument("--output", type=Path, help="results file (default bench/results/<time>.json)")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite docs/performance.md")
    return parser.parse_args(argv)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.slow_repeats is None:
        args.slow_repeats = args.repeats
    only = set(args.only.split(","))
    scales = [parse_scale(text) for text in args.scales.split(",")]
    dbt_scales = {s.label for s in (map(parse_scale, args.dbt_scales.split(",")) if args.dbt_scales else scales[-2:])}
    loader_labels = {s.label for s in scales}
    spark_scales = [parse_scale(text) for text in args.spark_scales.split(",")] if "spark" in only else []
    spark_labels = {s.label for s in spark_scales}
    scales += [s for s in spark_scales if s.label not in loader_labels]
    visits = [s for s in scales if _measures_at(s.label, only, loader_labels, dbt_scales, spark_labels)]
    stream = f"{KINESIS_STREAM_PREFIX}{int(time.time())}"
    results: dict[str, Any] = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench " + shlex.join(sys.argv[1:] if argv is None else argv),
        "repeats": args.repeats,
        "slow_repeats": args.slow_repeats,
        "machine": machine.describe(),
        "versions": machine.versions(),
        "scales": [],
    }
    tools, peer_problem = _peers(args, only)
    if tools:
        results["versions"].update(tools.versions)
    started = time.perf_counter()
    try:
        # Superset serves the demo's published marts: it needs no source database at a bench scale.
        for index, scale in enumerate(visits if only - SCALELESS else []):
            loads = only if scale.label in loader_labels else only - LOADER_BENCHMARKS
            entry = _scale(scale, args, loads, tools, peer_problem)
            if index == 0 and ({"kinesis", "dbt", "spark", "orchestration"} & only):
                results["kinesis"] = _kinesis(args, scale, stream)
            if "dbt" in only and scale.label in dbt_scales:
                dbt_stream = stream if "kinesis" in results else None
                measure = partial(dbt_bench.measure, scale, args.repeats, dbt_stream, "cdc", 500, args.dbt_baseline)
                entry["figures"] += _guarded("dbt build|full", measure)
            if scale.label in spark_labels:
                spark_stream = stream if "kinesis" in results else None
                measure = partial(spark_bench.measure, scale, args.repeats, spark_stream, "cdc", 600)
                entry["figures"] += _guarded("spark vs duckdb|full", measure)
            if "orchestration" in only and index == 0:
                run_stream = stream if "kinesis" in results else None
                measure = partial(orchestration_bench.measure, scale, args.repeats, run_stream, "cdc", 700)
                entry["figures"] += _guarded("daily run|direct", measure)
            results["scales"].append(entry)
            if not args.keep:
                source_db.drop(scale)
    finally:
        if not args.keep:
            kinesis_bench.delete_stream(stream)
    if "kafka" in only:
        results["kafka"] = _kafka(args, f"bench-shop-{int(time.time())}")
    if "clickstream" in only:
        results["clickstream"] = _clickstream(args)
    if "superset" in only:
        measure_superset = partial(superset_bench.measure, args.repeats)
        results["superset"] = {"figures": _guarded("superset|time to ready", measure_superset)}
    results["seconds"] = round(time.perf_counter() - started)
    results["targets"] = evaluate(results)
    path = args.output or RESULTS_DIR / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1) + "\n")
    print(f"results: {path}")
    for target in results["targets"]:
        print(f"  {'OK  ' if target['holds'] else 'MISS'} {target['target']}: {target['detail']}")
    if not args.no_readme:
        update_report(results)
    return 0


def _peers(args: argparse.Namespace, only: set[str]) -> tuple[peers.PeerTools | None, str]:
    if args.no_peers or "mysql" not in only:
        return None, "not requested (--no-peers)"
    try:
        return peers.install(), ""
    except Exception as error:  # any install failure: report the peers as not measured, and why
        return None, f"could not install offline: {error}"


def _measures_at(label: str, only: set[str], loader: set[str], dbt: set[str], spark: set[str]) -> bool:
    """Whether a benchmark of `only` runs at this scale: the loaders at --scales, dbt and the orchestrated run at
    --dbt-scales, Spark at --spark-scales."""
    at_loader = bool(LOADER_BENCHMARKS & only) and label in loader
    return at_loader or (bool({"dbt", "orchestration"} & only) and label in dbt) or ("spark" in only and label in spark)


def _scale(
    scale: Scale, args: argparse.Namespace, only: set[str], tools: peers.PeerTools | None, peer_problem: str
) -> dict[str, Any]:
    counts, seconds = source_db.build(scale, reuse=args.reuse_source)
    entry: dict[str, Any] = {
        "label": scale.label,
        "scale_factor": scale.scale_factor,
        "row_counts": counts,
        "generate_seconds": round(seconds, 1),
        "figures": [],
    }
    rows = counts[contenders.TABLE]
    if "mysql" in only:
        url = loader_url(scale.database)
        lineup = [*contenders.floors(scale.database, url), contenders.cx_into_duckdb(url), contenders.ours(url)]
        lineup += contenders.peers(tools, scale.database) if tools else []
        skipped: list[Figure | Skipped] = [] if tools else [Skipped("ingestr|seconds", peer_problem),
                                                            Skipped("sling|seconds", peer_problem)]  # fmt: skip
        if scale.rows <= args.dlt_default_max_rows:
            lineup.append(contenders.dlt_default(url))
        else:
            reason = f"not run above {args.dlt_default_max_rows:,} rows: ~170 s per 1M rows, 6 GB RSS"
            skipped.append(Skipped("dlt defaults (sqlalchemy backend)|seconds", reason))
        figures = full_load.compare(lineup, rows, scale.work_dir, args.repeats, args.slow_repeats) + skipped
        entry["figures"] += [figure.as_dict() for figure in figures]
    if "incremental" in only:
        modes = args.modes.split(",")
        entry["figures"] += _guarded("job|full", partial(incremental.measure, scale, args.repeats, modes, 100))
    return entry


def _guarded(name: str, measure: Callable[[], list[Figure | Skipped]]) -> list[dict[str, Any]]:
    """The figures of one benchmark, or a skipped entry with the error: one failure does not lose the run."""
    try:
        return [figure.as_dict() for figure in measure()]
    except CommandFailed as error:
        log.warning("bench: %s failed: %s", name, error)
        return [Skipped(name, str(error)[-800:]).as_dict()]


def _kinesis(args: argparse.Namespace, scale: Scale, stream: str) -> dict[str, Any]:
    with source_db.admin() as connection, connection.cursor() as cursor:
        cursor.execute(f"SELECT customerNumber FROM `{scale.database}`.customers")
        customers = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX(orderDate) FROM `{scale.database}`.orders")
        day = cursor.fetchone()[0]
    records, put_seconds = kinesis_bench.fill_stream(stream, args.kinesis_shards, args.kinesis_emails, customers, day)
    log.info("bench: put %d records on %d shards in %.0f s", records, args.kinesis_shards, put_seconds)
    figures = kinesis_bench.measure(stream, records, args.repeats if "kinesis" in args.only else 0)
    return {
        "shards": args.kinesis_shards,
        "records": records,
        "put_seconds": round(put_seconds, 1),
        "figures": [figure.as_dict() for figure in figures],
    }


def _kafka(args: argparse.Namespace, topic: str) -> dict[str, Any]:
    try:
        messages, partitions, put_seconds = kafka_bench.fill_topic(topic, args.kafka_transactions)
        log.info("bench: put %d messages on %d partitions in %.0f s", messages, partitions, put_seconds)
        figures = kafka_bench.measure(topic, messages, args.repeats)
    finally:
        if not args.keep:
            kafka_bench.remove_topic(topic)
    return {
        "partitions": partitions,
        "messages": messages,
        "put_seconds": round(put_seconds, 1),
        "figures": [figure.as_dict() for figure in figures],
    }


def _clickstream(args: argparse.Namespace) -> dict[str, Any]:
    live, follow = args.clickstream_live_seconds, args.clickstream_follow
    measure = partial(
        clickstream_bench.measure, args.repeats, args.clickstream_visits, args.clickstream_shards, live, follow
    )
    return {"visits": args.clickstream_visits, "live_seconds": live, "follow_seconds": follow,
            "figures": _guarded("clickstream", measure)}  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
