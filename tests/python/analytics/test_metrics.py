"""The MetricFlow semantic layer end to end: `mf validate-configs` and `mf query` on a warehouse built from the demo
shop and two days of email traffic (real MariaDB and Kinesis), each query compared with plain SQL on the marts.

Money compares to the cent (exact decimals), counts exactly, averages and rates to 1e-9. Business rules checked:
sales captured counts every line placed; gross and net profit leave out cancelled orders' lines; orders closed
counts the distinct orders flagged is_closed (every status but Cancelled); orders shipped count
on their shipped date; AR balance takes each customer's latest balance; stock takes the
period's last month end; email rates are ratios of summed counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from analytics_warehouse import FUNNEL_METRICS, Warehouse

NOT_CANCELLED = "order_status not in ('Cancelled')"  # var unsold_order_statuses


def normalized(value: Any) -> Any:
    """A query value comparable across the CSV and DuckDB: null as '', times as their date, numbers as decimals
    rounded to 1e-9 (money and counts are exact decimals, so this is to the cent and beyond)."""
    if value is None or value == "":
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    text = str(value)
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return text[:10]
    try:
        return Decimal(text).quantize(Decimal("1e-9"))
    except ArithmeticError:
        return text


def rows_set(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted((tuple(normalized(value) for value in row) for row in rows), key=repr)


@dataclass(frozen=True)
class Case:
    name: str
    metrics: tuple[str, ...]
    group_by: tuple[str, ...]
    sql: str  # the group-by columns, then the metrics, in that order


# Line-level metrics as plain SQL over the costed order lines (l), by the given grouping.
SALES = f"""
    sum(l.sales_amount),
    sum(case when l.{NOT_CANCELLED} then l.gross_profit else 0 end),
    sum(case when l.{NOT_CANCELLED} then l.net_profit else 0 end),
    count(distinct case when l.is_closed then l.order_number end)
"""
SALES_METRICS = ("sales_captured", "gross_profit", "net_profit", "orders_closed")
FUNNEL = """
    sum(emails_sent), sum(emails_delivered), sum(unique_opened), sum(unique_clicked),
    sum(unique_opened)::double / nullif(sum(emails_delivered), 0),
    sum(unique_clicked)::double / nullif(sum(emails_delivered), 0),
    sum(unique_clicked)::double / nullif(sum(unique_opened), 0)
"""
# Each customer's balance on their latest day with activity.
LATEST_BALANCES = """
    (select * from marts.fct_customer_balances as b
     where balance_date = (select max(balance_date) from marts.fct_customer_balances as x
                           where x.customer_number = b.customer_number))
"""

CASES = (
    Case(
        "sales_by_month",
        SALES_METRICS,
        ("metric_time__month",),
        f"select date_trunc('month', l.order_date), {SALES} from intermediate.int_order_lines_costed as l group by 1",
    ),
    Case(
        "sales_by_day_match_agg_sales_daily",
        SALES_METRICS,
        ("metric_time__day",),
        """select sales_date, sales_captured, gross_profit, net_profit, orders_closed from marts.agg_sales_daily
           where grouping_level = 'day'""",
    ),
    Case(
        "sales_by_category_sub_category_brand",
        SALES_METRICS,
        ("product__category", "product__sub_category", "product__brand"),
        f"""select p.category, p.sub_category, p.brand, {SALES}
            from intermediate.int_order_lines_costed as l
            inner join marts.dim_products as p using (product_key) group by 1, 2, 3""",
    ),
    Case(
        "sales_by_product_and_month",
        ("sales_captured", "gross_profit"),
        ("metric_time__month", "product__product_name"),
        f"""select date_trunc('month', l.order_date), p.product_name, sum(l.sales_amount),
                   sum(case when l.{NOT_CANCELLED} then l.gross_profit else 0 end)
            from intermediate.int_order_lines_costed as l
            inner join marts.dim_products as p using (product_key) group by 1, 2""",
    ),
    Case(
        "sales_by_rep_manager_office",
        SALES_METRICS,
        ("sales_rep__full_name", "sales_rep__manager_full_name", "office__city"),
        f"""select e.full_name, e.manager_full_name, o.city, {SALES}
            from intermediate.int_order_lines_costed as l
            inner join marts.dim_employees as e on l.sales_rep_employee_key = e.employee_key
            inner join marts.dim_offices as o on l.office_key = o.office_key group by 1, 2, 3""",
    ),
    Case(
        "sales_by_customer_country_city_and_status",
        SALES_METRICS,
        ("customer__country", "customer__city", "order_line__order_status"),
        f"""select c.country, c.city, l.order_status, {SALES}
            from intermediate.int_order_lines_costed as l
            inner join marts.dim_customers as c using (customer_key) group by 1, 2, 3""",
    ),
    Case(
        "time_to_ship_and_orders_by_month",
        ("average_days_to_ship", "orders_placed"),
        ("metric_time__month",),
        "select date_trunc('month', order_date), avg(days_to_ship), count(*) from marts.fct_orders group by 1",
    ),
    Case(
        "orders_shipped_by_shipped_day",
        ("orders_shipped",),
        ("metric_time__day",),
        """select shipped_date, sum(case when shipped_date is not null then 1 else 0 end) from marts.fct_orders
           group by 1""",
    ),
    Case(
        "payments_by_month",
        ("average_payment", "payments_received"),
        ("metric_time__month",),
        "select date_trunc('month', payment_date), avg(amount), sum(amount) from marts.fct_payments group by 1",
    ),
    Case(
        "ar_balance_today",
        ("ar_balance", "credit_limit"),
        (),
        f"select sum(balance_amount), sum(credit_limit) from {LATEST_BALANCES}",
    ),
    Case(
        "ar_balance_by_customer_country",
        ("ar_balance",),
        ("customer__country",),
        f"""select c.country, sum(b.balance_amount) from {LATEST_BALANCES} as b
            inner join marts.dim_customers as c using (customer_key) group by 1""",
    ),
    Case(
        "stock_by_month_and_category",
        ("stock_units", "stock_value", "units_sold"),
        ("metric_time__month", "product__category"),
        """select date_trunc('month', i.month_end_date), p.category, sum(i.quantity_in_stock),
                  sum(i.stock_value_at_cost), sum(i.units_sold)
           from marts.fct_inventory_monthly as i
           inner join marts.dim_products as p using (product_key) group by 1, 2""",
    ),
    Case(
        "stock_by_product_latest",
        ("stock_units", "stock_value"),
        ("product__product_code",),
        """select product_code, quantity_in_stock, stock_value_at_cost from marts.fct_inventory_monthly
           where month_end_date = (select max(month_end_date) from marts.fct_inventory_monthly)""",
    ),
    Case(
        "email_funnel_by_day_and_subject",
        FUNNEL_METRICS,
        ("metric_time__day", "email__subject"),
        f"select sent_date, subject, {FUNNEL} from marts.agg_email_funnel_daily group by 1, 2",
    ),
    Case(
        "email_funnel_by_partner_layout_provider",
        FUNNEL_METRICS,
        ("email__partner", "email__layout", "email__provider"),
        f"select partner_id, layout, email_provider, {FUNNEL} from marts.agg_email_funnel_daily group by 1, 2, 3",
    ),
    Case(
        "email_funnel_by_day_and_algorithm",
        ("algorithm_emails_sent", "algorithm_emails_opened", "algorithm_open_rate", "algorithm_click_through_rate"),
        ("metric_time__day", "algorithm_funnel__algorithm"),
        """select s.sent_date, b.algorithm, count(*), count(*) filter (where s.is_opened),
                  (count(*) filter (where s.is_opened))::double / nullif(count(*) filter (where s.is_delivered), 0),
                  (count(*) filter (where s.is_clicked))::double / nullif(count(*) filter (where s.is_delivered), 0)
           from marts.fct_email_sends as s inner join marts.bridge_email_algorithms as b using (event_id)
           where s.is_send_received group by 1, 2""",
    ),
    Case(
        "email_opens_and_clicks_by_device",
        ("email_opens", "email_clicks"),
        ("email_event__device",),
        """select device, count(*) filter (where event_type = 'opened'), count(*) filter (where event_type = 'clicked')
           from marts.fct_email_events group by 1""",
    ),
    Case(
        "attributed_revenue_by_subject_and_touch",
        ("attributed_revenue", "organic_revenue"),
        ("attributed_order__subject", "attributed_order__touch_type"),
        """select subject, attributed_touch_type, sum(attributed_revenue), sum(organic_revenue)
           from marts.fct_order_attribution group by 1, 2""",
    ),
)


def test_configs_validate_against_the_warehouse(warehouse: Warehouse) -> None:
    warehouse.mf("validate-configs")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_metric_query_matches_sql_on_the_marts(warehouse: Warehouse, case: Case) -> None:
    expected = rows_set(warehouse.sql(case.sql))
    assert expected, f"{case.name}: the SQL returned no rows, the comparison would prove nothing"
    assert rows_set(warehouse.mf_query(case.metrics, case.group_by)) == expected


def test_attribution_and_the_funnel_have_data(warehouse: Warehouse) -> None:
    """The comparisons above are not vacuous: emails were opened and clicked and orders attributed."""
    ((opened, attributed),) = warehouse.sql(
        """select (select sum(unique_clicked) from marts.agg_email_funnel_daily),
                  (select count(*) from marts.fct_order_attribution where is_email_attributed)"""
    )
    assert opened > 0
    assert attributed > 0
