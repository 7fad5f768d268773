"""Why a target is missed: the analysis behind each kind of target, written from the measurements.

Keyed by the start of the target's name (see bench/targets.py); shown in the README for missed targets only.
"""

from __future__ import annotations

WHY = {
    "full load >= 0.66x": "(analysis pending)",
    "faster than": "(analysis pending)",
    "peak RSS": "(analysis pending)",
    "no-change run": "(analysis pending)",
    "incremental <= 10%": "(analysis pending)",
    "Kinesis -> raw": "(analysis pending)",
    "dbt daily build": "(analysis pending)",
}


def why(target: str) -> str:
    reason = next((text for prefix, text in WHY.items() if target.startswith(prefix)), "")
    return f"{target}: {reason}" if reason else target
