"""`python -m load` arguments a user can get wrong end in argparse's one line and exit 2 (no server)."""

from __future__ import annotations

import pytest

from load.__main__ import parse_args


@pytest.mark.parametrize("follow", ["0", "-1", "nan", "inf", "soon"])
def test_follow_takes_a_positive_number_of_seconds(follow: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["run", "kinesis", "--follow", follow])
    assert exit_info.value.code == 2
    assert f"--follow: must be a positive number of seconds, not '{follow}'" in capsys.readouterr().err


def test_follow_seconds_may_have_a_fraction() -> None:
    assert parse_args(["run", "kinesis", "--follow", "2.5"]).follow == 2.5
