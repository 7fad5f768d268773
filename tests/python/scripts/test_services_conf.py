"""scripts/services.sh with services.conf's settings already in the environment (a user's override, or a shell
that sourced the file): the caller's values win and the script still runs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from load.local_services import REPO_ROOT, file_settings


def test_status_runs_with_every_setting_already_in_the_environment(tmp_path: Path) -> None:
    env = {**os.environ, **file_settings(), "SERVICES_DIR": os.path.relpath(tmp_path, REPO_ROOT)}
    result = subprocess.run(
        ["scripts/services.sh", "status"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "services: MariaDB stopped" in result.stdout
    assert "services: Kinesis stopped" in result.stdout
