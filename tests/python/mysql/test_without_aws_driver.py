"""A MySQL run needs no AWS driver: botocore and boto3 are imported by the Kinesis source only, so a broken or
missing AWS install does not stop the MySQL loads (nor the demo shop's days)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from demo.classicmodels import create_demo
from loader_process import run_loader

AWS_DRIVERS = ("botocore", "boto3")


def unimportable(folder: Path, *modules: str) -> str:
    """A PYTHONPATH entry on which importing any of `modules` fails, as if they were not installed."""
    folder.mkdir()
    for module in modules:
        (folder / f"{module}.py").write_text(f"raise ImportError('{module} is hidden by the test')\n")
    return str(folder)


def imported_modules(import_times: str) -> set[str]:
    """Top-level module names in `python -X importtime` output (`import time: self | cumulative | name`)."""
    lines = (line.split("|")[-1].strip() for line in import_times.splitlines() if line.startswith("import time:"))
    return {name.split(".")[0] for name in lines}


def test_mysql_run_imports_no_aws_driver(admin_url: str, loader_url: str, warehouse: Path, tmp_path: Path) -> None:
    create_demo(admin_url, scale=1, seed=5)

    profiled = run_loader(loader_url, warehouse, settings={"PYTHONPROFILEIMPORTTIME": "1"})
    assert profiled.returncode == 0, profiled.stderr[-3000:]
    imported = imported_modules(profiled.stderr)
    assert "dlt" in imported and "pymysql" in imported
    assert not imported & set(AWS_DRIVERS)

    hidden = unimportable(tmp_path / "no_aws", *AWS_DRIVERS)
    tick = subprocess.run(
        [sys.executable, "-m", "demo", "tick", "--url", admin_url],
        env={**os.environ, "PYTHONPATH": hidden},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert tick.returncode == 0, tick.stderr[-3000:]
    without_aws = run_loader(loader_url, warehouse, settings={"PYTHONPATH": hidden})
    assert without_aws.returncode == 0, without_aws.stderr[-3000:]
    assert "raw_classicmodels.orders:" in without_aws.stdout
