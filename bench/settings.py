"""Where the benchmarks keep their data, and how a requested scale becomes a generator scale factor."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from load.local_services import REPO_ROOT, mysql_url, setting

BENCH_DIR = REPO_ROOT / "bench"
WORK_DIR = BENCH_DIR / "work"  # git-ignored: warehouses, peer installs, dlt working folders
RESULTS_DIR = BENCH_DIR / "results"
VENV_PYTHON = REPO_ROOT / ".venv" / "bin" / "python"

# Order lines the generator makes per scale factor (measured: SF 342 -> 1,001,405 lines).
LINES_PER_SF = 2928
DATABASE_PREFIX = "bench_cm_"
KINESIS_STREAM_PREFIX = "bench-email-"

_SCALE = re.compile(r"^(\d+(?:\.\d+)?)([km]?)$")
_SCALE_FACTOR = re.compile(r"^sf(\d+(?:\.\d+)?)$")  # the demo shop's own scale factor: sf1 = classicmodels' size


@dataclass(frozen=True)
class Scale:
    """A requested size of orderdetails, e.g. `1m` (about a million order lines)."""

    label: str
    rows: int

    @property
    def scale_factor(self) -> float:
        return round(self.rows / LINES_PER_SF, 2)

    @property
    def database(self) -> str:
        return DATABASE_PREFIX + self.label.replace(".", "_")

    @property
    def work_dir(self) -> Path:
        return WORK_DIR / self.label


def parse_scale(text: str) -> Scale:
    label = text.strip().lower()
    if factor := _SCALE_FACTOR.match(label):
        return Scale(label=label, rows=round(float(factor.group(1)) * LINES_PER_SF))
    match = _SCALE.match(label)
    if not match:
        raise ValueError(f"scale '{text}' is not like 100k, 1m, 10m or sf10")
    number, unit = float(match.group(1)), match.group(2)
    rows = int(number * {"": 1, "k": 1_000, "m": 1_000_000}[unit])
    return Scale(label=label, rows=rows)


def admin_url(database: str) -> str:
    return mysql_url("MARIADB_ADMIN_USER", "MARIADB_ADMIN_PASSWORD", database)


def loader_url(database: str) -> str:
    return mysql_url("MARIADB_LOADER_USER", "MARIADB_LOADER_PASSWORD", database)


def base_env() -> dict[str, str]:
    """The environment every measured child process gets: offline telemetry, the repo's dbt profile."""
    return {
        **os.environ,
        "RUNTIME__DLTHUB_TELEMETRY": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "PYTHONPATH": str(REPO_ROOT),
    }


def mariadb_host_port() -> tuple[str, int]:
    return setting("MARIADB_HOST"), int(setting("MARIADB_PORT"))
