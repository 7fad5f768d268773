"""dbt-duckdb plugin (profiles.yml `plugins:`): refuse a warehouse dbt cannot open in one line, not a traceback.

dbt-duckdb opens the warehouse lazily, inside a query, and a DuckDB error there (another process holds the file)
escapes dbt as a raw exception with a ~230-line traceback. The plugin's hook runs just before dbt-duckdb opens the
file: it opens and closes it once itself and turns a known user error (see load.failures) into a dbt runtime
error, which dbt prints as one short message and exit code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError

from load.failures import as_config_error


class Plugin(BasePlugin):
    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        if not Path(creds.path).is_file():  # ":memory:" or a new warehouse: nothing can hold it
            return
        try:
            duckdb.connect(creds.path, read_only=False, config=config).close()
        except duckdb.Error as error:
            user_error = as_config_error(error)
            if user_error is None:
                raise
            raise DbtRuntimeError(str(user_error)) from None
