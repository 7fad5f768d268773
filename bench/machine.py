"""What the results were measured on: machine, load, and the versions of everything measured."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib.metadata import version
from typing import Any

import pymysql

from bench.source_db import admin


def describe() -> dict[str, Any]:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }


def versions() -> dict[str, str]:
    found = {name: version(name) for name in ("dlt", "connectorx", "duckdb", "pyarrow", "dbt-core", "dbt-duckdb")}
    found["mariadb"] = _server_version()
    found["kinesis-local"] = _npm_version("kinesis-local")
    return found


def _cpu_model() -> str:
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def _server_version() -> str:
    try:
        with admin() as connection, connection.cursor() as cursor:
            cursor.execute("SELECT VERSION()")
            return str(cursor.fetchone()[0])
    except pymysql.MySQLError:
        return "?"


def _npm_version(package: str) -> str:
    result = subprocess.run(["npm", "ls", package, "--depth=0"], capture_output=True, text=True, timeout=60)
    return next((part.split("@")[-1] for part in result.stdout.split() if part.startswith(package)), "?")
