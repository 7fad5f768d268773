"""A demo run: scripts/demo.sh and friends in an environment pointing at private sources and outputs."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from load.local_services import REPO_ROOT
from local_mysql import admin_connection


@dataclass(frozen=True)
class Demo:
    env: dict[str, str]
    database: str
    root: Path

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
        with admin_connection(self.database) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT MAX(orderDate) FROM orders")
            (day,) = cursor.fetchone()
        return str(day)
