"""The first demo run's email traffic looks real in charts: weeks of daily sends leading up to the shop's latest
orders, so the attribution finds orders after emails."""

from __future__ import annotations

import duckdb
import pytest
from demo_run import Demo

pytestmark = pytest.mark.integration

EMAIL_DAYS = 60


def test_first_run_sends_emails_on_60_days_that_orders_are_attributed_to(demo: Demo) -> None:
    with duckdb.connect(str(demo.marts), read_only=True) as marts:
        days, first_day, last_day = marts.execute(
            "select count(distinct sent_date), min(sent_date), max(sent_date) from main.fct_email_sends"
        ).fetchone()
        last_order_day, attributed = marts.execute(
            """select (select max(order_date) from main.fct_orders),
                      (select count(*) from main.fct_order_attribution where is_email_attributed)"""
        ).fetchone()
    assert days >= EMAIL_DAYS, f"emails on {days} days, {first_day} to {last_day}"
    assert abs((last_order_day - last_day).days) <= 7, f"emails end {last_day}, orders {last_order_day}"
    assert attributed > 0
