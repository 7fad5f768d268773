"""Ports and paths of the local demo services, read from the one config file `services/services.conf`."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SERVICES_CONF = REPO_ROOT / "services" / "services.conf"


@cache
def file_settings() -> dict[str, str]:
    """Every setting as written in services.conf (no environment overrides)."""
    settings: dict[str, str] = {}
    for line in SERVICES_CONF.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            settings[key.strip()] = value.strip()
    return settings


def setting(key: str) -> str:
    """A service setting; the environment overrides the file, as in scripts/services.sh."""
    return os.environ.get(key) or file_settings()[key]


def services_dir() -> Path:
    """The services' state folder, resolved as scripts/services.sh resolves it (the socket paths inside count bytes)."""
    return (REPO_ROOT / setting("SERVICES_DIR")).resolve()


def local_credentials() -> dict[str, str]:
    """The local-only passwords scripts/services.sh generated (kept out of git)."""
    path = services_dir() / "credentials.env"
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key: value for key, value in pairs}


def mysql_url(user_key: str, password_key: str, database: str | None = None) -> str:
    """A SQLAlchemy URL for the local MariaDB as the admin or loader user."""
    credentials = local_credentials()
    db = database or setting("MARIADB_DATABASE")
    return (
        f"mysql+pymysql://{setting(user_key)}:{credentials[password_key]}"
        f"@{setting('MARIADB_HOST')}:{setting('MARIADB_PORT')}/{db}"
    )


def kinesis_endpoint() -> str:
    return f"http://127.0.0.1:{setting('KINESIS_PORT')}"
