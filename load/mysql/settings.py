"""How each classicmodels table is captured, from dlt config ([sources.mysql] in .dlt/config.toml or env).

    [sources.mysql]
    mode = "cdc"             # every table: "cdc" (binlog) or "cursor" (its declared replace/cursor/follow strategy)
    cdc_fallback = true      # server cannot feed CDC: warn and load with the cursor strategies (false: fail)
    changes_per_load = 500000
    [sources.mysql.orders]
    mode = "cursor"          # one table's own mode (env SOURCES__MYSQL__ORDERS__MODE)

`resnapshot = true` (or `python -m load run mysql --resnapshot`) re-copies the CDC tables at a new position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast, get_args

import dlt

from load.errors import LoadConfigError
from load.mysql.strategy import TABLES

Mode = Literal["cdc", "cursor"]
DEFAULT_MODE: Mode = "cdc"


@dataclass(frozen=True)
class CaptureSettings:
    modes: dict[str, Mode]
    cdc_fallback: bool = True
    resnapshot: bool = False
    changes_per_load: int = 500_000

    def tables(self, mode: Mode) -> tuple[str, ...]:
        return tuple(table for table in TABLES if self.modes[table] == mode)


def read_capture_settings() -> CaptureSettings:
    default = _mode("sources.mysql.mode", DEFAULT_MODE)
    return CaptureSettings(
        modes={table: _mode(f"sources.mysql.{table}.mode", default) for table in TABLES},
        cdc_fallback=_flag("sources.mysql.cdc_fallback", True),
        resnapshot=_flag("sources.mysql.resnapshot", False),
        changes_per_load=int(dlt.config.get("sources.mysql.changes_per_load") or 500_000),
    )


def _mode(key: str, default: Mode) -> Mode:
    value = str(dlt.config.get(key) or default).lower()
    if value not in get_args(Mode):
        raise LoadConfigError(f"{key} is '{value}': choose one of {', '.join(get_args(Mode))}")
    return cast(Mode, value)


def _flag(key: str, default: bool) -> bool:
    value = dlt.config.get(key)
    if value is None:
        return default
    return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")
