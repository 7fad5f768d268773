"""Everything that copies orderdetails out of MariaDB in the full-load comparison: floors, ours, peers.

Each contender is a command run as a child process into a fresh destination folder; its seconds are the
process's wall time (start-up and imports included, as a user running it pays them).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.peers import PeerTools
from bench.settings import REPO_ROOT, VENV_PYTHON, base_env, mariadb_host_port
from load.local_services import local_credentials, setting

TABLE = "orderdetails"


@dataclass(frozen=True)
class Contender:
    name: str
    kind: str  # "floor", "ours" or "peer"
    command: Callable[[Path], list[str]]  # destination folder -> argv
    env: Callable[[Path], dict[str, str]] = field(default=lambda _dest: base_env())
    cwd: Path = REPO_ROOT
    # DuckDB file the contender writes, relative to its destination folder (floors write none).
    duckdb_file: str | None = None
    duckdb_table: str = TABLE
    slow: bool = False
    discard_stdout: bool = False


def _loader_password() -> str:
    return local_credentials()["MARIADB_LOADER_PASSWORD"]


def floors(database: str, url: str) -> list[Contender]:
    host, port = mariadb_host_port()
    dump = [
        "mariadb", "--quick", "--batch", f"--host={host}", f"--port={port}",
        f"--user={setting('MARIADB_LOADER_USER')}", database, "-e", f"SELECT * FROM `{TABLE}`",
    ]  # fmt: skip
    return [
        Contender(
            "mariadb --quick --batch",
            "floor",
            lambda _dest: dump,
            env=lambda _dest: {**base_env(), "MYSQL_PWD": _loader_password()},
            discard_stdout=True,
        ),
        Contender("connectorx alone (Arrow table)", "floor", lambda _d: _py("bench.cx_read", url, TABLE)),
        Contender("connectorx alone (Arrow batches)", "floor", lambda _d: _py("bench.cx_read", url, TABLE, "stream")),
    ]


def ours(url: str) -> Contender:
    return Contender(
        "ours (dlt + connectorx, .dlt/config.toml)",
        "ours",
        lambda _dest: _py("bench.dlt_load", "ours", url, TABLE),
        env=lambda dest: {**base_env(), "WAREHOUSE_PATH": str(dest / "ours.duckdb")},
        duckdb_file="ours.duckdb",
        duckdb_table=f"raw_classicmodels.{TABLE}",
    )


def cx_into_duckdb(url: str) -> Contender:
    return Contender(
        "connectorx into DuckDB (one statement, no dlt)",
        "floor",
        lambda dest: _py("bench.cx_duckdb", url, TABLE, str(dest / "cx.duckdb")),
        duckdb_file="cx.duckdb",
        duckdb_table=f"raw_classicmodels.{TABLE}",
    )


def dlt_default(url: str) -> Contender:
    return Contender(
        "dlt defaults (sqlalchemy backend)",
        "peer",
        lambda dest: _py("bench.dlt_load", "dlt-default", url, TABLE, str(dest / "dlt.duckdb")),
        cwd=REPO_ROOT / "bench" / "work",  # no .dlt/ here: dlt's own defaults
        duckdb_file="dlt.duckdb",
        duckdb_table=f"raw.{TABLE}",
        slow=True,
    )


def peers(tools: PeerTools, database: str) -> list[Contender]:
    host, port = mariadb_host_port()
    user, password = setting("MARIADB_LOADER_USER"), _loader_password()
    source = f"mysql://{user}:{password}@{host}:{port}/{database}"
    ingestr = Contender(
        "ingestr 1.1.22",
        "peer",
        lambda dest: [str(tools.ingestr), "ingest", "--source-uri", source, "--source-table", f"{database}.{TABLE}",
                      "--dest-uri", f"duckdb:///{dest / 'ingestr.duckdb'}", "--dest-table", f"main.{TABLE}", "--yes"],
        env=lambda _dest: {**base_env(), "ADBC_DRIVER_PATH": str(tools.adbc_drivers)},
        duckdb_file="ingestr.duckdb",
    )  # fmt: skip
    sling = Contender(
        "sling 1.4.11",
        "peer",
        lambda _dest: [str(tools.sling), "run", "--src-conn", "BENCH_MYSQL", "--src-stream", f"{database}.{TABLE}",
                       "--tgt-conn", "BENCH_DUCKDB", "--tgt-object", f"main.{TABLE}", "--mode", "full-refresh"],
        env=lambda dest: {**base_env(), "HOME": str(tools.sling_home), "SLING_HOME_DIR": str(dest / ".sling"),
                          "BENCH_MYSQL": source, "BENCH_DUCKDB": f"duckdb:///{dest / 'sling.duckdb'}",
                          "DUCKDB_PATH": str(tools.duckdb_cli), "DUCKDB_USE_INSTALLED_EXTENSIONS": "true",
                          "SLING_DISABLE_TELEMETRY": "true"},
        duckdb_file="sling.duckdb",
        slow=True,
    )  # fmt: skip
    return [ingestr, sling]


def _py(module: str, *args: str) -> list[str]:
    return [str(VENV_PYTHON), "-m", module, *args]


def clean(dest: Path) -> None:
    """An empty destination folder."""
    if dest.exists():
        for path in sorted(dest.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            path.unlink() if path.is_file() or path.is_symlink() else path.rmdir()
    os.makedirs(dest, exist_ok=True)
