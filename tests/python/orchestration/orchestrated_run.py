"""The daily job's in-process run and the folder it writes: warehouse and published marts."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dagster import DagsterInstance, ExecuteInProcessResult

from isolated_run import isolated_env


def execute(job_name: str, instance: DagsterInstance | None = None, **kwargs: Any) -> ExecuteInProcessResult:
    """Run a job of the definitions in this process, by default on a throwaway instance."""
    from orchestration.definitions import defs

    job = defs.resolve_job_def(job_name)
    return job.execute_in_process(instance=instance or DagsterInstance.ephemeral(), raise_on_error=False, **kwargs)


@dataclass(frozen=True)
class Workdir:
    path: Path

    @property
    def warehouse(self) -> Path:
        return self.path / "w.duckdb"

    @property
    def published(self) -> Path:
        return self.path / "marts.duckdb"

    def copy_to(self, path: Path) -> Workdir:
        """A copy of the warehouse and the published marts in `path`."""
        copy = Workdir(path)
        shutil.copy2(self.warehouse, copy.warehouse)
        shutil.copy2(self.published, copy.published)
        return copy

    def env(self, source_settings: dict[str, str]) -> dict[str, str]:
        return isolated_env(self.path, MARTS_PATH=str(self.published), **source_settings)
