"""DuckDB settings changed for a while are put back, also when the block or one of the settings fails."""

from __future__ import annotations

import duckdb
import pytest

from load.duckdb_settings import settings_for_a_while

SETTINGS = "SELECT current_setting('preserve_insertion_order'), current_setting('threads')"


def test_settings_are_put_back_after_a_failing_block() -> None:
    with duckdb.connect() as connection:
        before = connection.execute(SETTINGS).fetchone()
        with pytest.raises(RuntimeError), settings_for_a_while(connection, {"preserve_insertion_order": False}):
            assert connection.execute(SETTINGS).fetchone() == (False, before[1])
            raise RuntimeError("the work failed")
        assert connection.execute(SETTINGS).fetchone() == before


def test_a_setting_that_cannot_be_set_puts_back_those_set_before_it() -> None:
    with duckdb.connect() as connection:
        before = connection.execute(SETTINGS).fetchone()
        wanted = {"preserve_insertion_order": False, "threads": "not a number"}
        with pytest.raises(duckdb.Error), settings_for_a_while(connection, wanted):
            pytest.fail("the block must not run")
        assert connection.execute(SETTINGS).fetchone() == before
