"""A parsed dbt project for the tests' fresh target folders, so a test's first dbt command partial-parses.

Every end-to-end test builds in its own warehouse and dbt target; without a saved parse, its first dbt command parses
the whole project again (about half of a small build). One `dbt parse` per warehouse file name (the name is the
database the nodes are parsed with) is copied into each new target. dbt only reuses a saved parse made with the same
profile, and the profile includes the warehouse path: the copy gets the hash of the test's own profile, computed the
way dbt does and checked against the seed first. Anything dbt finds different (vars, env vars, changed files) makes
it parse again as it would without the copy: the copy never changes what a build does.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import pprint
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from load.local_services import REPO_ROOT

DBT = str(Path(sys.executable).with_name("dbt"))
SAVED_PARSE = "partial_parse.msgpack"
# How the profile hash is stored in the saved parse: msgpack key, then the 64 hex digits of the sha256.
PROFILE_HASH_AT = b"profile_hash"
CHECKSUM_PREFIX = b"checksum\xd9@"

_seeds: dict[str, Path | None] = {}


def profile_hash(warehouse: Path) -> str:
    """dbt's profile hash (ManifestLoader.build_manifest_state_check) for the dev target on this warehouse file."""
    from dbt.adapters.duckdb.credentials import DuckDBCredentials

    profile: dict[str, Any] = yaml.safe_load((REPO_ROOT / "profiles.yml").read_text())["commerce_dw"]["outputs"]["dev"]
    fields = {key: value for key, value in profile.items() if key not in {"type", "threads"}}
    credentials = DuckDBCredentials.from_dict({**fields, "path": str(warehouse)})
    return hashlib.sha256(pprint.pformat(sorted(credentials.connection_info())).encode()).hexdigest()


def profile_hash_span(saved_parse: bytes) -> slice:
    """Where the saved parse keeps its profile hash."""
    at = saved_parse.index(PROFILE_HASH_AT)
    start = saved_parse.index(CHECKSUM_PREFIX, at) + len(CHECKSUM_PREFIX)
    return slice(start, start + 64)


def seed(name: str) -> Path | None:
    """The saved parse for warehouse files called `name`, parsed once per session; None if it cannot be reused."""
    if name not in _seeds:
        folder = Path(tempfile.mkdtemp(prefix="dbt-parse-seed-"))
        atexit.register(shutil.rmtree, folder, True)
        warehouse = folder / name
        env = {
            **os.environ,
            "WAREHOUSE_PATH": str(warehouse),
            "DBT_TARGET_PATH": str(folder / "target"),
            "DBT_LOG_PATH": str(folder / "logs"),
            "DBT_PROFILES_DIR": str(REPO_ROOT),
        }
        parsed = subprocess.run([DBT, "parse"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
        saved = folder / "target" / SAVED_PARSE
        usable = parsed.returncode == 0 and saved.exists()
        if usable:
            saved_parse = saved.read_bytes()
            usable = saved_parse[profile_hash_span(saved_parse)].decode() == profile_hash(warehouse)
        _seeds[name] = saved if usable else None
    return _seeds[name]


def seed_target(target: Path, warehouse: Path) -> None:
    """Give a new dbt target folder the session's saved parse, with the profile hash of `warehouse`."""
    if (target / SAVED_PARSE).exists():
        return
    source = seed(warehouse.name)
    if source is None:
        return
    saved = source.read_bytes()
    span = profile_hash_span(saved)
    target.mkdir(parents=True, exist_ok=True)
    (target / SAVED_PARSE).write_bytes(saved[: span.start] + profile_hash(warehouse).encode() + saved[span.stop :])
