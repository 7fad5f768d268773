"""`python -m demo emails --days N`: N consecutive days of traffic ending on --day, on a private stream."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from email_marts.email_records import private_sources


def test_days_of_traffic_end_on_the_given_day(tmp_path: Path) -> None:
    with private_sources("demo-days", 1, tmp_path / "work") as (stream, _database):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "demo",
                "emails",
                "--days",
                "3",
                "--emails",
                "20",
                "--day",
                "2005-05-31",
                "--customers",
                "10",
            ],
            env={**os.environ, "SOURCES__KINESIS__STREAM_NAME": stream},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [report["day"] for report in reports] == ["2005-05-29", "2005-05-30", "2005-05-31"]
    assert all(report["stream"] == stream and report["events_by_type"]["sent"] >= 20 for report in reports)


def test_days_must_be_positive() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "demo", "emails", "--days", "0", "--customers", "10"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--days must be at least 1" in result.stderr
