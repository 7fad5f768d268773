"""Figures: the samples of one measurement, summarised as min / median / max."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Figure:
    """One measured quantity over repeated runs. `unit` is e.g. "s", "rows/s", "MB"."""

    name: str
    unit: str
    samples: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.samples:
            data.update(min=min(self.samples), median=self.median, max=max(self.samples), runs=len(self.samples))
        return data


@dataclass
class Skipped:
    """A measurement that did not run, and why (a peer that does not install offline, a too-slow peer)."""

    name: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "skipped": self.reason}


def summary(data: dict[str, Any]) -> str:
    """`median (min-max) unit` of a figure dict from a results file."""
    if "skipped" in data:
        return f"skipped: {data['skipped']}"
    if data["runs"] == 1:
        return f"{_num(data['median'])} {data['unit']} (1 run)"
    return f"{_num(data['median'])} ({_num(data['min'])}-{_num(data['max'])}) {data['unit']}"


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"
