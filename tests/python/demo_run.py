"""The demo (`make demo`) on a private copy of the local services: its own MariaDB, Kinesis, warehouse, marts file
and dbt target, so tests may add days to it and restart its servers."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from private_services import PrivateServices

from load.local_services import REPO_ROOT


@dataclass(frozen=True)
class Demo:
    services: PrivateServices
    first_run_output: str  # what the first `make demo` printed (it created the shop)

    @property
    def env(self) -> dict[str, str]:
        return self.services.env

    @property
    def warehouse(self) -> Path:
        return Path(self.env["WAREHOUSE_PATH"])

    @property
    def marts(self) -> Path:
        return Path(self.env["MARTS_PATH"])

    def run(self, *command: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(command),
            cwd=REPO_ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    def last_order_day(self) -> str:
        return self.services.sql(f"SELECT MAX(orderDate) FROM {self.services.database}.orders")
