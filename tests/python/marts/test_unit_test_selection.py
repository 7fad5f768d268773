"""The daily `dbt build` leaves the dbt unit tests out (default selector in selectors.yml): `make test` runs them,
through the builds of tests/python/marts, tests/python/email_marts, tests/python/clickstream and
tests/python/kafka. Every unit test must be in one of those."""

from __future__ import annotations

import subprocess
from pathlib import Path

from clickstream.test_clickstream_marts import CLICKSTREAM_MARTS
from email_marts.test_email_marts import EMAIL_MARTS
from kafka.test_kafka_load import SHOP_MARTS
from marts.test_marts import MARTS

from isolated_run import DBT, isolated_env


def unit_tests(workdir: Path, *selection: str) -> set[str]:
    command = [DBT, "ls", "--quiet", "--resource-type", "unit_test", "--indirect-selection", "cautious", *selection]
    result = subprocess.run(command, env=isolated_env(workdir), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    return set(result.stdout.split())


def test_every_unit_test_runs_in_the_marts_suites_and_none_in_the_daily_build(tmp_path: Path) -> None:
    every = unit_tests(tmp_path, "--select", "fqn:*")
    assert every
    in_suites = unit_tests(
        tmp_path, "--select", *MARTS, "+path:models/marts/email", *EMAIL_MARTS, *CLICKSTREAM_MARTS, *SHOP_MARTS
    )
    assert every - in_suites == set(), "unit tests no suite of `make test` runs"
    assert unit_tests(tmp_path) == set(), "the default selection (the daily build) runs unit tests"
