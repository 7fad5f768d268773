"""The Spark extras (Java, .venv-spark) installed on first use, and the `spark` marker (`pytest -m spark`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from load.local_services import REPO_ROOT

SPARK_PYTHON = REPO_ROOT / ".venv-spark" / "bin" / "python"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "spark: builds the project on the local Spark + Iceberg target")


@pytest.fixture(scope="session")
def spark_python() -> Path:
    """The Spark venv's interpreter, installed by scripts/spark_extras.sh when missing (~1-2 min, once)."""
    result = subprocess.run(
        ["scripts/spark_extras.sh"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=1200, check=False
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return SPARK_PYTHON
