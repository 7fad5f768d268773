"""Results of several partial bench runs (`python -m bench --only ...`) as one, for one report page.

Each target stays the ratio of two figures from the same run; where two runs measured the same figure or target,
the later run's counts. The header names every run and the highest load average any of them started under.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def combined(runs: list[dict[str, Any]]) -> dict[str, Any]:
    runs = sorted(runs, key=lambda run: run["created_at"])
    if len(runs) == 1:
        return runs[0]
    newest = runs[-1]
    machine = {
        **newest["machine"],
        "load_average_at_start": max((run["machine"]["load_average_at_start"] for run in runs), key=lambda la: la[0]),
    }
    return {
        **newest,
        "command": " ; ".join(run["command"].strip() for run in runs),
        "repeats": min(run["repeats"] for run in runs),
        "slow_repeats": min(run.get("slow_repeats", run["repeats"]) for run in runs),
        "machine": machine,
        "versions": {name: value for run in runs for name, value in run["versions"].items()},
        "seconds": sum(run["seconds"] for run in runs),
        "scales": _scales(runs),
        "targets": list(_by_name((target for run in runs for target in run["targets"]), key="target").values()),
        "kinesis": _last_measured(runs, "kinesis"),
        "superset": _last_measured(runs, "superset"),
        "kafka": _last_measured(runs, "kafka"),
        "clickstream": _last_measured(runs, "clickstream"),
    }


def _by_name(entries: Iterable[dict[str, Any]], key: str = "name") -> dict[str, dict[str, Any]]:
    """Later entries replace earlier ones of the same name, keeping the first one's place."""
    found: dict[str, dict[str, Any]] = {}
    for entry in entries:
        found[entry[key]] = entry
    return found


def _scales(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    scales: dict[str, dict[str, Any]] = {}
    for run in runs:
        for scale in run["scales"]:
            merged = scales.setdefault(scale["label"], {**scale, "figures": []})
            merged["figures"] = list(_by_name([*merged["figures"], *scale["figures"]]).values())
    return list(scales.values())


def _last_measured(runs: list[dict[str, Any]], part: str) -> dict[str, Any] | None:
    measured = [run[part] for run in runs if run.get(part) and any(f["samples"] for f in run[part]["figures"])]
    return measured[-1] if measured else None
