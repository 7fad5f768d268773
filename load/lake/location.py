"""Where the lake is, opened as an fsspec filesystem with credentials from dlt's secrets.

`LAKE_URL`, else dlt config `[lake] bucket_url` (env `LAKE__BUCKET_URL`), else the default: `lake/` in the project
for the project's own warehouse (`warehouse/commerce_dw.duckdb`, however it is named), or a `lake/` folder beside
any other warehouse file `WAREHOUSE_PATH` names (a lake belongs to one warehouse: a test's or a benchmark's
warehouse gets its own). Credentials come from
`[lake.credentials]` (env `LAKE__CREDENTIALS__AWS_ACCESS_KEY_ID`, ...), as dlt's filesystem destination reads them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from load.config import DEFAULT_WAREHOUSE_PATH, warehouse_path
from load.errors import LoadConfigError

LAKE_URL_ENV = "LAKE_URL"
CONFIG_SECTION = "lake"
DEFAULT_LAKE_FOLDER = "lake"


@dataclass(frozen=True)
class Lake:
    """The lake's filesystem and its root path on it (no protocol, no trailing slash)."""

    fs: Any  # fsspec.AbstractFileSystem
    root: str
    url: str  # as shown to users: never with credentials

    def path(self, *parts: str) -> str:
        return "/".join([self.root, *parts])


def configured_url() -> str:
    """The lake's URL or local path as configured (see the module docstring)."""
    url = os.environ.get(LAKE_URL_ENV)
    if url:
        return url
    import dlt

    url = dlt.config.get(f"{CONFIG_SECTION}.bucket_url")
    if url:
        return str(url)
    return str(default_lake_path())


def default_lake_path() -> Path:
    """The lake of the warehouse at WAREHOUSE_PATH when none is configured: the same folder whether the default
    warehouse is named or not (`make` names it, a bare `python -m load run` does not)."""
    warehouse = warehouse_path()
    if warehouse == Path(DEFAULT_WAREHOUSE_PATH).resolve():
        return Path(DEFAULT_LAKE_FOLDER).resolve()
    return warehouse.parent / DEFAULT_LAKE_FOLDER


def shown(url: str) -> str:
    """`url` without any user or password part, for messages."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.hostname or ""))


def open_lake(url: str | None = None) -> Lake:
    """The lake at `url` (default: the configured one). A URL fsspec cannot open is a LoadConfigError."""
    from dlt.common.configuration import resolve_configuration
    from dlt.common.storages.configuration import FilesystemConfiguration
    from dlt.common.storages.fsspec_filesystem import fsspec_from_config

    url = url or configured_url()
    try:
        config = resolve_configuration(
            FilesystemConfiguration(bucket_url=url), sections=(CONFIG_SECTION,), explicit_value={"bucket_url": url}
        )
        fs, root = fsspec_from_config(config)
    except Exception as error:  # an unknown protocol, a missing driver (s3fs), incomplete credentials
        raise LoadConfigError(
            f"cannot open the lake {shown(url)} ({_first_line(error)}): set LAKE_URL (or [lake] bucket_url) to a "
            "local folder or an fsspec URL, with [lake.credentials] in .dlt/secrets.toml; s3:// needs s3fs"
        ) from None
    return Lake(fs=fs, root=root.rstrip("/"), url=shown(url))


class LakeAccessError(OSError):
    """The lake's filesystem failed (unreachable endpoint, missing bucket, refused credentials, full disk)."""


def unreachable(lake: Lake, error: BaseException) -> LoadConfigError:
    cause = _first_line(error.__cause__ or error)
    return LoadConfigError(
        f"the lake {lake.url} is unreachable or refuses writes ({cause}): check LAKE_URL and [lake.credentials], "
        "then rerun; the warehouse keeps what it committed and the next run adds the missing loads to the lake"
    )


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    line = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    return line if len(line) <= 200 else line[:197] + "..."
