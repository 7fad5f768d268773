"""The performance targets, each a ratio of figures from one results file: value, limit, holds, and a detail line."""

from __future__ import annotations

from typing import Any

CX = "connectorx alone (Arrow table)"
OURS = "ours (dlt + connectorx, .dlt/config.toml)"
RSS_LIMIT_MB = 500
RSS_GROWTH_LIMIT = 1.5  # "flat": the larger table may cost at most this much more memory
# Full load vs connectorx alone: the fixed per-run cost weighs less on a large table, so more is asked there.
FULL_LOAD_RATIO, LARGE_FULL_LOAD_RATIO, LARGE_TABLE_ROWS = 0.66, 0.8, 5_000_000
# A CDC run's own seconds at the largest scale: with nothing to do, and after one day tick.
CDC_NO_CHANGE_SECONDS, CDC_AFTER_TICK_SECONDS = 0.8, 2.5
# dbt: the daily build's largest share of the full build (largest scale), and the full build's speed-up over
# the baseline commit's (bench.dbt_bench.BASELINE_COMMIT).
DBT_DAILY_SHARE, DBT_BASELINE_SPEEDUP = 0.25, 1.5
# Near real time: the clickstream's window marts at most this many seconds behind the views' own time (p95).
CLICKSTREAM_LATENCY_SECONDS = 120


def figure(entry: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((f for f in entry.get("figures", []) if f["name"] == name and "median" in f), None)


def median(entry: dict[str, Any], name: str) -> float | None:
    found = figure(entry, name)
    return found["median"] if found else None


def evaluate(results: dict[str, Any]) -> list[dict[str, Any]]:
    scales = results.get("scales", [])
    targets: list[dict[str, Any]] = []
    for entry in scales:
        targets += _full_load(entry)
    targets += _memory(scales)
    loaded = [entry for entry in scales if any(f["name"].startswith("job ") for f in entry["figures"])]
    if loaded:  # the incremental targets are set for the largest scale the loaders ran at
        targets += _incremental(loaded[-1])
    targets += _kinesis(results.get("kinesis") or {})
    targets += _kafka(results.get("kafka") or {})
    targets += _clickstream(results.get("clickstream") or {})
    dbt_scales = [entry for entry in scales if median(entry, "dbt build|full")]
    for entry in dbt_scales:
        targets += _dbt(entry, largest=entry is dbt_scales[-1])
    return targets


def _target(name: str, value: float, limit: float, holds: bool, detail: str) -> dict[str, Any]:
    return {"target": name, "value": round(value, 3), "limit": limit, "holds": holds, "detail": detail}


def _full_load(entry: dict[str, Any]) -> list[dict[str, Any]]:
    ours, cx = median(entry, f"{OURS}|rows_per_s"), median(entry, f"{CX}|rows_per_s")
    if ours is None or cx is None:
        return []
    label = entry["label"]
    large = entry.get("row_counts", {}).get("orderdetails", 0) >= LARGE_TABLE_ROWS
    limit = LARGE_FULL_LOAD_RATIO if large else FULL_LOAD_RATIO
    out = [
        _target(
            f"full load >= {limit}x connectorx alone ({label})",
            ours / cx,
            limit,
            ours / cx >= limit,
            f"{ours / cx:.2f}x: ours {ours:,.0f} rows/s, connectorx alone {cx:,.0f} rows/s",
        )
    ]
    for peer in entry["figures"]:
        name = peer["name"].split("|")[0]
        if peer["name"].endswith("|rows_per_s") and "median" in peer and _is_peer(name):
            ratio = ours / peer["median"]
            out.append(
                _target(
                    f"faster than {name} ({label})",
                    ratio,
                    1.0,
                    ratio > 1.0,
                    f"{ratio:.2f}x: ours {ours:,.0f} rows/s, {name} {peer['median']:,.0f} rows/s",
                )
            )
    return out


def _is_peer(name: str) -> bool:
    return name.startswith(("ingestr", "sling", "dlt defaults"))


def _memory(scales: list[dict[str, Any]]) -> list[dict[str, Any]]:
    sized = [(entry["label"], median(entry, f"{OURS}|peak_rss")) for entry in scales]
    sized = [(label, rss) for label, rss in sized if rss is not None]
    if not sized:
        return []
    (small_label, small), (large_label, large) = sized[0], sized[-1]
    out = [
        _target(
            f"peak RSS <= {RSS_LIMIT_MB} MB ({large_label})",
            large,
            RSS_LIMIT_MB,
            large <= RSS_LIMIT_MB,
            f"{large:.0f} MB",
        )
    ]
    if len(sized) > 1:
        growth = large / small
        out.append(
            _target(
                f"peak RSS flat ({small_label} -> {large_label})",
                growth,
                RSS_GROWTH_LIMIT,
                growth <= RSS_GROWTH_LIMIT,
                f"{small:.0f} MB -> {large:.0f} MB ({growth:.2f}x)",
            )
        )
    return out


def _incremental(entry: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    modes = sorted({f["name"].split("|")[0] for f in entry.get("figures", []) if f["name"].startswith("job ")})
    for job in modes:
        full, unchanged, incremental = (median(entry, f"{job}|{kind}") for kind in ("full", "no_change", "incremental"))
        if full is None or unchanged is None or incremental is None:
            continue
        label = f"{job.removeprefix('job ')}, {entry['label']}"
        out.append(_target(f"no-change run <= 3 s ({label})", unchanged, 3.0, unchanged <= 3.0, f"{unchanged:.2f} s"))
        if job == "job cdc":
            out += _cdc_seconds(label, unchanged, incremental)
        share = incremental / full
        out.append(
            _target(
                f"incremental <= 10% of full load ({label})",
                share,
                0.10,
                share <= 0.10,
                f"{share:.1%}: {incremental:.2f} s vs full {full:.1f} s",
            )
        )
    return out


def _cdc_seconds(label: str, unchanged: float, after_tick: float) -> list[dict[str, Any]]:
    no_change, tick = CDC_NO_CHANGE_SECONDS, CDC_AFTER_TICK_SECONDS
    return [
        _target(f"CDC run with nothing to do <= {no_change} s ({label})", unchanged, no_change,
                unchanged <= no_change, f"{unchanged:.2f} s"),
        _target(f"CDC run after a day tick <= {tick} s ({label})", after_tick, tick, after_tick <= tick,
                f"{after_tick:.2f} s"),
    ]  # fmt: skip


def _kinesis(kinesis: dict[str, Any]) -> list[dict[str, Any]]:
    return _stream_ratio(kinesis, "kinesis raw GetRecords|events_per_s", "kinesis ours into raw_email|events_per_s",
                         "Kinesis -> raw >= 0.8x raw GetRecords", "events/s", "raw reads")  # fmt: skip


def _kafka(kafka: dict[str, Any]) -> list[dict[str, Any]]:
    return _stream_ratio(kafka, "kafka bare consumer|messages_per_s", "kafka ours into raw_shop|messages_per_s",
                         "Kafka -> raw >= 0.8x a bare consumer", "messages/s", "bare consumer")  # fmt: skip


def _stream_ratio(
    results: dict[str, Any], reference_name: str, ours_name: str, target: str, unit: str, reference_label: str
) -> list[dict[str, Any]]:
    """Our load's rate into raw against a bare reader's of the same stream in the same run: at least 0.8x."""
    reference, ours = median(results, reference_name), median(results, ours_name)
    if reference is None or ours is None:
        return []
    ratio = ours / reference
    detail = f"{ratio:.2f}x: ours {ours:,.0f} {unit}, {reference_label} {reference:,.0f} {unit}"
    return [_target(target, ratio, 0.8, ratio >= 0.8, detail)]


def _clickstream(clickstream: dict[str, Any]) -> list[dict[str, Any]]:
    """Clickstream into raw as Kinesis email events are, and its window marts within 2 minutes of event time."""
    targets = _stream_ratio(clickstream, "clickstream raw GetRecords|events_per_s",
                            "clickstream ours into raw_clickstream|events_per_s",
                            "Kinesis clickstream -> raw >= 0.8x raw GetRecords", "events/s", "raw reads")  # fmt: skip
    p95 = next(
        (f for f in clickstream.get("figures", []) if f["name"].startswith("clickstream event to mart|p95")), None
    )
    if p95 and "median" in p95:
        value = p95["median"]
        detail = f"p95 {value:.1f} s ({p95['name'].split('|')[1]})"
        targets.append(_target("clickstream event -> mart p95 <= 120 s", value, CLICKSTREAM_LATENCY_SECONDS,
                               value <= CLICKSTREAM_LATENCY_SECONDS, detail))  # fmt: skip
    return targets


def _dbt(entry: dict[str, Any], largest: bool) -> list[dict[str, Any]]:
    """The daily build's share of the full build (at most DBT_DAILY_SHARE at the largest scale, below 1 at the
    others), and the full build's speed-up over the baseline commit's at the largest scale."""
    full, daily = median(entry, "dbt build|full"), median(entry, "dbt build|daily")
    if full is None or daily is None:
        return []
    share, label = daily / full, entry["label"]
    limit = DBT_DAILY_SHARE if largest else 1.0
    name = f"dbt daily build <= {limit:.0%} of full" if largest else "dbt daily build faster than full"
    out = [_target(f"{name} ({label})", share, limit, share <= limit if largest else share < limit,
                   f"{share:.0%}: daily {daily:.1f} s vs full {full:.1f} s")]  # fmt: skip
    baseline = median(entry, "dbt build|baseline_full")
    if largest and baseline is not None:
        speedup = baseline / full
        out.append(_target(f"dbt full build >= {DBT_BASELINE_SPEEDUP}x faster than the baseline commit ({label})",
                           speedup, DBT_BASELINE_SPEEDUP, speedup >= DBT_BASELINE_SPEEDUP,
                           f"{speedup:.2f}x: full {full:.1f} s vs baseline {baseline:.1f} s"))  # fmt: skip
    return out
