"""Peer loaders (ingestr, sling) in their own venv under bench/work/peers, never in the project's .venv.

Offline, both need help (see /work/shared/FIELD_NOTES.md):
- ingestr 1.1.22 bundles its binary, but its DuckDB destination loads an ADBC driver; later versions download
  their binary at run time. A driver manifest points the ADBC driver manager at the libduckdb.so that npm's
  @duckdb/node-bindings-linux-x64 ships.
- sling's PyPI `sling-linux-amd64` ships the binary; its DuckDB target drives a DuckDB CLI (`duckdb-cli`) that
  needs the httpfs and json extensions (`duckdb-ext-*`, version-matched to the CLI) in ~/.duckdb/extensions:
  we give sling a HOME of its own whose extension folder links to them.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.settings import WORK_DIR

log = logging.getLogger("bench")

PEERS_DIR = WORK_DIR / "peers"
PIP_PACKAGES = (
    "ingestr==1.1.22",
    "sling-linux-amd64==1.4.11",
    "duckdb-cli==1.4.4.post2",
    "duckdb-ext-httpfs==1.4.4.20260205",
    "duckdb-ext-json==1.4.4.20260205",
)
NPM_LIBDUCKDB = "@duckdb/node-bindings-linux-x64@1.4.4-r.1"
SITE = PEERS_DIR / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"


@dataclass(frozen=True)
class PeerTools:
    ingestr: Path
    sling: Path
    duckdb_cli: Path
    adbc_drivers: Path
    sling_home: Path
    versions: dict[str, str]


def install() -> PeerTools:
    """Install the peers once (idempotent); raises CalledProcessError when a registry is unreachable."""
    if not (PEERS_DIR / "bin" / "pip").exists():
        subprocess.run(["/usr/bin/python3", "-m", "venv", str(PEERS_DIR)], check=True)
    if not (PEERS_DIR / "bin" / "ingestr").exists() or not (PEERS_DIR / "bin" / "duckdb").exists():
        log.info("bench: installing peers into %s", PEERS_DIR)
        _quiet([str(PEERS_DIR / "bin" / "pip"), "install", "-q", *PIP_PACKAGES])
    libduckdb = WORK_DIR / "npm" / "node_modules" / "@duckdb" / "node-bindings-linux-x64" / "libduckdb.so"
    if not libduckdb.exists():
        _quiet(["npm", "install", "--silent", "--no-save", "--prefix", str(WORK_DIR / "npm"), NPM_LIBDUCKDB])
    tools = PeerTools(
        ingestr=PEERS_DIR / "bin" / "ingestr",
        sling=SITE / "sling_linux_amd64" / "bin" / "sling-linux-amd64",
        duckdb_cli=PEERS_DIR / "bin" / "duckdb",
        adbc_drivers=WORK_DIR / "adbc_drivers",
        sling_home=WORK_DIR / "sling_home",
        versions={},
    )
    _write_driver_manifest(tools.adbc_drivers, libduckdb)
    _link_extensions(tools.sling_home)
    tools.versions.update(
        ingestr=_first_line([str(tools.ingestr), "--version"]),
        sling=_first_line([str(tools.sling), "--version"]),
        duckdb_cli=_first_line([str(tools.duckdb_cli), "--version"]),
    )
    return tools


def _write_driver_manifest(folder: Path, libduckdb: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "duckdb.toml").write_text(
        'manifest_version = 1\nname = "DuckDB"\nversion = "1.4.4"\n'
        f'[Driver]\nentrypoint = "duckdb_adbc_init"\n[Driver.shared]\nlinux_amd64 = "{libduckdb}"\n'
    )


def _link_extensions(sling_home: Path) -> None:
    link = sling_home / ".duckdb" / "extensions"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(SITE / "duckdb_ext" / "extensions")


def _quiet(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=900)


def _first_line(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    text = (result.stdout or result.stderr).strip()
    return text.splitlines()[-1] if text else "?"
