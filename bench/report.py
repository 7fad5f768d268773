"""`python -m bench.report [RESULTS.json ...]`: rewrite the benchmark report (docs/performance.md) from a results
file, or from several partial runs (`python -m bench --only ...`) combined (bench/combine.py).

Only the text between `<!-- bench:start -->` and `<!-- bench:end -->` changes; the newest file in
bench/results/ is used when none is named.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from bench.combine import combined
from bench.explanations import why
from bench.figures import summary
from bench.settings import REPO_ROOT, RESULTS_DIR
from bench.targets import CX, median

PERFORMANCE_PAGE = REPO_ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def newest_results() -> Path:
    files = sorted(RESULTS_DIR.glob("*.json"))
    if not files:
        raise SystemExit("no results in bench/results/: run `make bench` first")
    return files[-1]


def update_report(results: dict[str, Any], page: Path = PERFORMANCE_PAGE) -> None:
    text = page.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{page} has no {START} ... {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    page.write_text(f"{head}{START}\n{render(results)}\n{END}{tail}")


def render(results: dict[str, Any]) -> str:
    machine, versions = results["machine"], results["versions"]
    lines = [
        f"Measured {results['created_at'][:10]} on {machine['cores']} cores ({machine['cpu']}), "
        f"{machine['memory_gb']} GB RAM, load average {machine['load_average_at_start'][0]} at the start "
        "(a machine shared with other work: compare the ratios, not the absolute figures). "
        f"Each cell is the median (min-max) of the runs{_slow_peer_runs(results)}.",
        "",
        "Versions: " + ", ".join(f"{name} {_version(value)}" for name, value in sorted(versions.items())) + ".",
        "",
        "Reproduce: `make bench` (= `python -m bench --scales 1m,10m --repeats 3`); "
        f"as run: `{results['command'].strip()}`, "
        f"{results['seconds'] // 60} min. Raw figures: `bench/results/`.",
        "",
        *_targets(results["targets"]),
        *_full_load(results["scales"]),
        *_jobs(results["scales"]),
        *_kinesis(results.get("kinesis")),
        *_dbt(results["scales"]),
        *_spark(results["scales"]),
        *_daily_runs(results["scales"]),
        *_superset(results.get("superset")),
        *_stream(results.get("kafka"), "## Kafka: the shop's transactions into raw_shop (local mock broker)"),
        *_stream(results.get("clickstream"), "## Kinesis: the clickstream into raw_clickstream, event to mart"),
    ]
    return "\n".join(lines).rstrip()


def _slow_peer_runs(results: dict[str, Any]) -> str:
    """Older results ran the slowest peers once (before `slow_repeats` was recorded)."""
    slow, repeats = results.get("slow_repeats", 1), results["repeats"]
    if slow >= repeats:
        return ""
    runs = "once" if slow == 1 else f"{slow} times"
    return f"; the slowest peers ran {runs} at each scale to save time"


def _targets(targets: list[dict[str, Any]]) -> list[str]:
    lines = ["## Targets", "", "| target | measured | holds |", "| --- | --- | --- |"]
    lines += [f"| {t['target']} | {t['detail']} | {'yes' if t['holds'] else '**no**'} |" for t in targets]
    missed = [t for t in targets if not t["holds"]]
    if missed:
        lines += ["", "Why the missed targets are missed:", ""]
        lines += _explanations([t["target"] for t in missed])
    return [*lines, ""]


def _explanations(missed: list[str]) -> list[str]:
    """One bullet per explanation: targets that share one are named together, never repeated."""
    by_reason: dict[str, list[str]] = {}
    for target in missed:
        by_reason.setdefault(why(target), []).append(target)
    return sorted(f"- {'; '.join(targets)}: {reason}" if reason else f"- {'; '.join(targets)}"
                  for reason, targets in by_reason.items())  # fmt: skip


def _figure_rows(scales: list[dict[str, Any]], names: list[str], metrics: list[str]) -> list[str]:
    rows = []
    for name in names:
        cells = []
        for entry in scales:
            for metric in metrics:
                found = _find(entry, f"{name}|{metric}")
                cells.append(summary(found) if found else "-")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return rows


def _measuring(scales: list[dict[str, Any]], names: list[str]) -> list[dict[str, Any]]:
    """The scales with a figure of any of `names` (a combined report's other runs measured other scales)."""
    return [e for e in scales if any(f["name"].split("|")[0] in names for f in e["figures"])]


def _names(scales: list[dict[str, Any]], prefix: str = "", suffix: str = "") -> list[str]:
    names: list[str] = []
    for entry in scales:
        for found in entry["figures"]:
            name = found["name"].split("|")[0]
            if name.startswith(prefix) and found["name"].endswith(suffix) and name not in names:
                names.append(name)
    return names


def _full_load(scales: list[dict[str, Any]]) -> list[str]:
    names = [n for n in _names(scales, suffix="|seconds") if not n.startswith(("job ", "dbt ", "kinesis "))]
    if not names:
        return []
    scales = _measuring(scales, names)
    header = " | ".join(f"{e['label']} ({e['row_counts']['orderdetails']:,} rows): {m}" for e in scales
                        for m in ("rows/s", "x connectorx", "peak RSS"))  # fmt: skip
    lines = ["## Full load of orderdetails into DuckDB (floors, ours, peers)", "",
             f"| | {header} |", "| --- |" + " --- |" * (3 * len(scales))]  # fmt: skip
    for name in names:
        cells = []
        for entry in scales:
            rate, rss = _find(entry, f"{name}|rows_per_s"), _find(entry, f"{name}|peak_rss")
            skipped = _find(entry, f"{name}|seconds")
            if rate is None:
                reason = summary(skipped) if skipped and "skipped" in skipped else "-"
                cells += [reason, "", ""]
                continue
            floor = median(entry, f"{CX}|rows_per_s")
            cells += [summary(rate), _ratio(rate["median"], floor), summary(rss) if rss else "-"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Whole-process wall time: interpreter start-up and imports count, as they do for a user. "
              "Runs go round-robin (every contender once, then again), so drift hits all alike.", ""]  # fmt: skip
    return lines


def _ratio(value: float, floor: float | None) -> str:
    if not floor:
        return "-"
    return f"{value / floor:.3f}x" if value / floor < 0.1 else f"{value / floor:.2f}x"


def _version(text: str) -> str:
    """The version number out of a tool's banner (`ingestr version v1.1.22` -> `1.1.22`)."""
    found = re.search(r"\d+\.\d+[\w.+-]*", text)
    return found.group(0) if found else text


def _find(entry: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((f for f in entry["figures"] if f["name"] == name), None)


def _jobs(scales: list[dict[str, Any]]) -> list[str]:
    names = _names(scales, prefix="job ")
    if not names:
        return []
    scales = _measuring(scales, names)
    header = " | ".join(f"{e['label']}: {m}" for e in scales for m in ("full", "no change", "after a day tick"))
    lines = ["## `python -m load run mysql`: all 8 tables, by capture mode", "",
             f"| | {header} |", "| --- |" + " --- |" * (3 * len(scales))]  # fmt: skip
    lines += _figure_rows(scales, names, ["full", "no_change", "incremental"])
    return [*lines, ""]


def _kinesis(kinesis: dict[str, Any] | None) -> list[str]:
    if not kinesis or not kinesis.get("figures"):
        return []
    lines = [f"## Kinesis: {kinesis['records']:,} records on {kinesis['shards']} shards (kinesis-local)", "",
             "| | median (min-max) |", "| --- | --- |"]  # fmt: skip
    lines += [f"| {f['name'].replace('|', ': ')} | {summary(f)} |" for f in kinesis["figures"]]
    return [*lines, "", f"Putting the records took {kinesis['put_seconds']} s (not a target).", ""]


def _dbt(scales: list[dict[str, Any]]) -> list[str]:
    built = [e for e in scales if any(f["name"].startswith("dbt build") for f in e["figures"])]
    if not built:
        return []
    lines = ["## dbt build", "", "| scale | full build | daily incremental build | baseline commit's full build |",
             "| --- | --- | --- | --- |"]  # fmt: skip
    for entry in built:
        full, daily, old = (_find(entry, f"dbt build|{kind}") or {} for kind in ("full", "daily", "baseline_full"))
        lines.append(f"| {entry['label']} | {summary(full)} | {summary(daily)} | {summary(old) if old else ''} |")
    lines.append("")
    for entry in built:
        for kind in ("full", "daily", "baseline_full"):
            note = _find(entry, f"dbt build|{kind}")
            if note:
                lines.append(f"- {entry['label']}, {kind.replace('_', ' ')}: {note.get('note', '')}")
    return [*lines, ""]


def _spark(scales: list[dict[str, Any]]) -> list[str]:
    built = [e for e in scales if _find(e, "spark vs duckdb|spark_full")]
    if not built:
        return []
    lines = ["## dbt build on Spark (local[2], Iceberg, from the lake) vs DuckDB, same loads", "",
             "| scale | Spark full | DuckDB full | Spark daily | DuckDB daily | Spark peak RSS (Python + JVM) | "
             "DuckDB peak RSS |", "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    kinds = ("spark_full", "duckdb_full", "spark_daily", "duckdb_daily", "spark_peak_rss", "duckdb_peak_rss")
    for entry in built:
        found = [_find(entry, f"spark vs duckdb|{kind}") for kind in kinds]
        cells = [summary(figure) if figure else "-" for figure in found]
        lines.append(f"| {entry['label']} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _stream(part: dict[str, Any] | None, title: str) -> list[str]:
    """A stream benchmark's figures (Kafka, clickstream): one row each."""
    if not part or not part.get("figures"):
        return []
    lines = [title, "", "| | median (min-max) |", "| --- | --- |"]
    lines += [f"| {f['name'].replace('|', ': ')} | {summary(f)} |" for f in part["figures"] if f.get("samples")]
    return [*lines, ""]


def _daily_runs(scales: list[dict[str, Any]]) -> list[str]:
    measured = [e for e in scales if _find(e, "daily run|direct")]
    if not measured:
        return []
    lines = [
        "## The daily run: direct vs orchestrated (Dagster)",
        "",
        "| scale | direct: load, dbt build, publish | orchestrated: `daily` job |",
        "| --- | --- | --- |",
    ]
    for entry in measured:
        direct, orchestrated = (_find(entry, f"daily run|{kind}") or {} for kind in ("direct", "orchestrated"))
        lines.append(f"| {entry['label']} | {summary(direct)} | {summary(orchestrated)} |")
    return [*lines, ""]


def _superset(superset: dict[str, Any] | None) -> list[str]:
    if not superset or not superset.get("figures"):
        return []
    lines = ["## Superset (`make dashboards`)", "", "| | median (min-max) | measured |", "| --- | --- | --- |"]
    lines += [f"| {f['name'].split('|')[1]} | {summary(f)} | {f.get('note', '')} |" for f in superset["figures"]]
    return [*lines, ""]


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or [newest_results()]
    update_report(combined([json.loads(path.read_text()) for path in paths]))
    print(f"{PERFORMANCE_PAGE.relative_to(REPO_ROOT)} rewritten from {', '.join(map(str, paths))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
