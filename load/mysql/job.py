"""`python -m load run mysql`: credentials from dlt config, preflight checks, then the dlt source."""

from __future__ import annotations

from typing import Any

import dlt
from dlt.extract.source import DltSource

from load.errors import LoadConfigError
from load.mysql.preflight import CREDENTIALS_HINT, check_source, describe, parse_credentials
from load.mysql.source import last_cursor_values, mysql
from load.mysql.strategy import TABLES
from load.runner import SourceJob


def configured_url() -> str:
    url = dlt.secrets.get("sources.mysql.credentials")
    if not url:
        raise LoadConfigError(f"no MySQL connection configured: set {CREDENTIALS_HINT}")
    # dlt may hand back its credentials object; we want the URL text.
    return url if isinstance(url, str) else url.to_native_representation()


def mysql_job() -> SourceJob:
    url = configured_url()
    credentials = parse_credentials(url)

    def build(source_state: dict[str, Any]) -> DltSource:
        check_source(credentials, TABLES)
        return mysql(credentials=url, loaded_until=last_cursor_values(source_state))

    return SourceJob(
        name="mysql",
        dataset="raw_classicmodels",
        identity=lambda: f"mysql://{describe(credentials)}",
        build=build,
    )
