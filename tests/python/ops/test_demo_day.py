"""The demo checks before it simulates a day, and a rerun after a failure adds exactly one business day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from demo_run import Demo

pytestmark = pytest.mark.integration


def next_day(day: str) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


def test_a_held_warehouse_stops_the_demo_before_it_simulates_a_day(demo: Demo) -> None:
    day = demo.last_order_day()
    with duckdb.connect(str(demo.warehouse)):
        result = demo.run("scripts/demo.sh")
    assert result.returncode == 2
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert error_lines == [error_lines[0]] and "is open in another process" in error_lines[0], result.stderr
    assert "Simulating" not in result.stdout
    assert demo.last_order_day() == day


def test_a_rerun_after_a_failed_publish_adds_one_business_day(demo: Demo, tmp_path: Path) -> None:
    day = demo.last_order_day()
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    failed = demo.run("scripts/demo.sh", MARTS_PATH=str(not_a_folder / "marts.duckdb"))
    assert failed.returncode != 0
    assert "Simulating the next business day" in failed.stdout
    assert demo.last_order_day() == next_day(day)

    rerun = demo.run("scripts/demo.sh")
    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]
    assert "Finishing the business day the last run simulated" in rerun.stdout
    assert "Simulating" not in rerun.stdout
    assert "Generating a day of email events" not in rerun.stdout
    assert demo.last_order_day() == next_day(day)
    with duckdb.connect(str(demo.marts), read_only=True) as marts:
        (published_day,) = marts.execute("select max(order_date) from marts.fct_orders").fetchone()
    assert str(published_day) == next_day(day)

    # The day is done: the next run simulates a new one.
    assert not Path(f"{demo.warehouse}.demo-pending").exists()


def test_build_with_a_selection_that_matches_nothing_fails_and_publishes_nothing(demo: Demo, tmp_path: Path) -> None:
    marts = tmp_path / "marts.duckdb"
    result = demo.run("scripts/build.sh", "--select", "no_model_has_this_name", MARTS_PATH=str(marts))
    assert result.returncode != 0
    assert "does not match any enabled nodes" in result.stdout + result.stderr
    assert not marts.exists()
