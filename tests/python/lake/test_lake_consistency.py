"""A load is in the lake exactly when it is in the warehouse, whatever moment a run is killed at."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo.classicmodels import day_tick
from lake_compare import assert_lake_matches_warehouse, differences
from lake_runs import Shop, after_random_delay, kill_load, lake_env, lake_file_written, load_ok, stage_reached
from load.lake.location import open_lake
from load.lake.rebuild import rebuild_raw

DATASET = "raw_classicmodels"
RUN_SECONDS = 3.0  # about a loader run with a day's changes on this machine


# Where each mode's runs are killed: in dlt's extract or load step, between the warehouse's commit and the lake's
# manifest, and at a random moment.
KILL_POINTS = {
    "cdc": ("loading", "exporting to the lake", "at random"),
    "cursor": ("extracting", "exporting to the lake"),
}


@pytest.mark.parametrize("mode", ["cdc", "cursor"])
def test_kill_9_at_any_point_then_rerun_keeps_lake_and_warehouse_in_step(mode: str, shop: Shop, tmp_path: Path) -> None:
    warehouse, lake = tmp_path / "w.duckdb", tmp_path / "lake"
    env = lake_env(shop.loader_url, warehouse, mode, lake_url=str(lake))
    load_ok(env)
    points = {
        "extracting": lambda: stage_reached(warehouse, "normalize/extracted"),
        "loading": lambda: stage_reached(warehouse, "load/normalized"),
        "exporting to the lake": lambda: lake_file_written(lake),
        "at random": lambda: after_random_delay(seed=len(mode), longest_seconds=RUN_SECONDS),
    }
    killed = []
    for seed, point in enumerate(KILL_POINTS[mode], start=31):
        day_tick(shop.admin_url, seed=seed)
        if kill_load(env, points[point]()):
            killed.append(point)
        load_ok(env)  # the rerun repairs: the killed run's committed load reaches the lake once
        assert_lake_matches_warehouse(lake, warehouse, DATASET)
    assert set(KILL_POINTS[mode]) - {"at random"} <= set(killed), killed
    rebuilt = tmp_path / "rebuilt.duckdb"
    rebuild_raw(open_lake(str(lake)), rebuilt)
    assert differences(warehouse, rebuilt) == {}
