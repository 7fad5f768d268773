"""The CDC part of the mysql source's dlt state: where the binlog stream stands, committed with each load."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from load.mysql.binlog_position import BinlogPosition

STATE_KEY = "cdc"


@dataclass
class CdcState:
    """`tables` are fed by the stream; `resnapshot` must be copied again first (a DDL changed them);
    `stream_id` names the snapshot the positions descend from (binlog coordinates repeat after a reset);
    `copied_at` holds, per table copied ahead of `position`, the binlog end read just before its copy started:
    the copy already holds that table's changes up to there, in the table's newest shape."""

    position: BinlogPosition | None = None
    tables: tuple[str, ...] = ()
    resnapshot: tuple[str, ...] = ()
    stream_id: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    copied_at: dict[str, BinlogPosition] = field(default_factory=dict)

    def already_copied(self, table: str, position: BinlogPosition) -> bool:
        """True when the table's copy already holds what the binlog wrote there at `position`."""
        copied = self.copied_at.get(table)
        return copied is not None and position.order() <= copied.order()

    @classmethod
    def of(cls, source_state: dict[str, Any]) -> CdcState:
        saved = source_state.get(STATE_KEY)
        if not saved:
            return cls()
        return cls(
            position=BinlogPosition.from_state(saved["position"]),
            tables=tuple(saved.get("tables", ())),
            resnapshot=tuple(saved.get("resnapshot", ())),
            stream_id=str(saved["stream_id"]),
            copied_at={table: BinlogPosition.from_state(at) for table, at in saved.get("copied_at", {}).items()},
        )

    def save(self, source_state: dict[str, Any]) -> None:
        assert self.position is not None
        position = self.position
        copied_at = {table: at for table, at in self.copied_at.items() if at.order() > position.order()}
        source_state[STATE_KEY] = {
            "position": self.position.to_state(),
            "tables": list(self.tables),
            "resnapshot": list(self.resnapshot),
            "stream_id": self.stream_id,
            "copied_at": {table: at.to_state() for table, at in copied_at.items()},
        }


@dataclass
class StreamProgress:
    """What the last stream load reached, for the job to decide whether another load must follow."""

    caught_up: bool = False
    changes: int = 0


def forget(source_state: dict[str, Any]) -> None:
    """No table is fed by the stream any more: a later switch back to CDC starts from a new snapshot."""
    source_state.pop(STATE_KEY, None)
