"""What dlt's configuration is read from, as one digest, and a few plain values read without importing dlt.

dlt resolves a setting from environment variables (SOURCES__MYSQL__MODE), then the project's `.dlt/*.toml`, then
the global `~/.dlt/*.toml`. Two runs whose inputs have the same digest resolve every setting alike, so a run may
reuse a decision an earlier run made with dlt (load/mysql/unchanged.py). The digest errs on the side of change:
any environment variable dlt might read (a section separator `__` in the name, a `DLT_` prefix, or a bare
setting name such as CREDENTIALS) and every toml file in both folders is part of it.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from pathlib import Path
from typing import Any

# Setting names a bare environment variable could supply through dlt's section fallbacks.
BARE_SETTING_NAMES = frozenset(
    {"CREDENTIALS", "MODE", "CDC_FALLBACK", "RESNAPSHOT", "CHANGES_PER_LOAD", "LAG_DAYS", "BATCH_SIZE"}
)


def config_folders() -> list[Path]:
    return [Path.cwd() / ".dlt", Path.home() / ".dlt"]


# Settings read outside dlt that change what a run does (a new lake gets the loads it lacks: load/lake/export.py).
OWN_SETTING_NAMES = frozenset({"LAKE_URL"})
# dlt settings the loader always sets itself, whatever the user's: every raw row carries its load id (staging's load
# times, source freshness and the lake's export read it), also when no .dlt/config.toml is found. Never an input.
FIXED_SETTINGS = {"NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID": "true"}


def _read_by_dlt(name: str) -> bool:
    if name in FIXED_SETTINGS:
        return False
    return "__" in name or name.startswith("DLT_") or name in BARE_SETTING_NAMES or name in OWN_SETTING_NAMES


def inputs_digest() -> str:
    """sha256 over the working folder, the environment variables dlt may read and every dlt toml file."""
    digest = hashlib.sha256(str(Path.cwd()).encode())
    for name in sorted(name for name in os.environ if _read_by_dlt(name.upper())):
        digest.update(f"\0env\0{name}\0{os.environ[name]}".encode())
    for folder in config_folders():
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            digest.update(f"\0file\0{path}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def plain_setting(section: tuple[str, ...], name: str) -> Any:
    """A setting as dlt finds it first at its full path: the environment variable, then the project's
    secrets.toml and config.toml. None when it is elsewhere (a caller must then ask dlt)."""
    from_env = os.environ.get("__".join((*section, name)).upper())
    if from_env is not None:
        return from_env
    for file_name in ("secrets.toml", "config.toml"):
        path = Path.cwd() / ".dlt" / file_name
        if not path.is_file():
            continue
        table: Any = tomllib.loads(path.read_text())
        for key in section:
            table = table.get(key, {}) if isinstance(table, dict) else {}
        if isinstance(table, dict) and name in table:
            return table[name]
    return None
