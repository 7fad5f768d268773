"""Bench scales: order-line counts (`1m`) and the demo shop's own scale factors (`sf10`) name the same sizes."""

import pytest

from bench.settings import LINES_PER_SF, parse_scale


def test_scale_factors_are_the_demo_shops_sizes() -> None:
    assert parse_scale("sf1").rows == LINES_PER_SF
    assert parse_scale("SF10").rows == 10 * LINES_PER_SF
    assert parse_scale("sf10").scale_factor == 10
    assert parse_scale("sf2.5").database == "bench_cm_sf2_5"


def test_order_line_counts_keep_their_meaning() -> None:
    assert parse_scale("1m").rows == 1_000_000
    assert parse_scale("100k").rows == 100_000


@pytest.mark.parametrize("text", ["sf", "1g", "ten"])
def test_a_scale_the_bench_cannot_read_is_named(text: str) -> None:
    with pytest.raises(ValueError, match="is not like"):
        parse_scale(text)


def test_spark_runs_at_its_own_scales_and_the_loaders_at_theirs() -> None:
    from bench.__main__ import _measures_at

    loader, dbt, spark = {"1m", "10m"}, {"1m", "10m"}, {"sf1", "sf10"}
    every = {"mysql", "incremental", "dbt", "spark", "orchestration"}
    assert all(_measures_at(label, every, loader, dbt, spark) for label in ("1m", "10m", "sf1", "sf10"))
    assert not _measures_at("1m", {"spark"}, loader, dbt, spark)
    assert _measures_at("sf10", {"spark"}, loader, dbt, spark)
    assert not _measures_at("sf1", {"mysql"}, loader, dbt, spark)
