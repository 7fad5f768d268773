"""One simulated business day on the classicmodels demo data, all set-based SQL in the caller's transaction."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

from pymysql.cursors import Cursor

from demo.classicmodels_bulk import (
    HISTORY_DAYS,
    RECENT_DAILY_ORDERS_FACTOR,
    SHIPPED_STATUSES,
    check_number_sql,
    insert_customers,
    insert_new_orders,
    insert_order_lines,
    rand_sql,
)
from demo.classicmodels_dimensions import sales_rep_numbers
from load.errors import LoadConfigError

RECENT_WINDOW_DAYS = 3  # status changes on orders older than this are the ones an orderDate cursor misses
PAYMENT_WINDOW_DAYS = 60  # shipped orders still expected to be paid
OLD_PAYMENT_DAYS = 120  # a deleted (bounced) payment is older than this, so it is never paid again
INACTIVE_CUSTOMER_SHARE = 0.18
SMALLINT_MAX = 32767
SUMMARY_ITEMS = 3  # older status changes named in the one-line summary


@dataclass(frozen=True)
class StatusChange:
    order_number: int
    order_date: dt.date
    old_status: str
    new_status: str
    outside_window: bool  # orderDate more than RECENT_WINDOW_DAYS before the business day


@dataclass(frozen=True)
class PriceChange:
    product_code: str
    old_buy_price: Decimal
    new_buy_price: Decimal
    old_msrp: Decimal
    new_msrp: Decimal


@dataclass(frozen=True)
class RepReassignment:
    customer_number: int
    old_sales_rep: int
    new_sales_rep: int


@dataclass
class TickReport:
    """What one simulated business day changed (keys, so tests and demos can follow the rows)."""

    business_day: dt.date
    new_order_numbers: list[int] = field(default_factory=list)
    new_order_lines: int = 0
    status_changes: list[StatusChange] = field(default_factory=list)
    new_payments: list[tuple[int, str]] = field(default_factory=list)  # (customerNumber, checkNumber)
    deleted_payments: list[tuple[int, str]] = field(default_factory=list)
    stock_changed_products: list[str] = field(default_factory=list)
    price_changes: list[PriceChange] = field(default_factory=list)
    new_customer: int | None = None
    reassigned_customer: RepReassignment | None = None

    @property
    def older_status_changes(self) -> list[StatusChange]:
        return [change for change in self.status_changes if change.outside_window]

    def summary(self) -> str:
        """One line for the CLI."""
        older = ", ".join(f"{c.order_number} of {c.order_date} {c.old_status}->{c.new_status}"
                          for c in self.older_status_changes[:SUMMARY_ITEMS])  # fmt: skip
        if len(self.older_status_changes) > SUMMARY_ITEMS:
            older += f" and {len(self.older_status_changes) - SUMMARY_ITEMS} more"
        deleted = ", ".join(f"{customer}/{check}" for customer, check in self.deleted_payments)
        prices = ", ".join(f"{p.product_code} MSRP {p.old_msrp}->{p.new_msrp}" for p in self.price_changes)
        reassigned = self.reassigned_customer.customer_number if self.reassigned_customer else "none"
        return (
            f"{self.business_day}: {len(self.new_order_numbers)} new orders ({self.new_order_lines} lines); "
            f"{len(self.status_changes)} status changes, older than {RECENT_WINDOW_DAYS} days: {older or 'none'}; "
            f"{len(self.new_payments)} new payments; deleted payments: {deleted or 'none'}; "
            f"{len(self.stock_changed_products)} stock changes; price: {prices}; "
            f"new customer {self.new_customer}; reassigned customer {reassigned}"
        )


@dataclass(frozen=True)
class _Tick:
    """The day being simulated and its randomness."""

    day: dt.date
    seed: int
    rng: random.Random

    def sql_date(self, days_before: int = 0) -> str:
        return f"DATE '{(self.day - dt.timedelta(days=days_before)).isoformat()}'"

    def every(self, period: int, phase: int = 0) -> bool:
        """True on one business day in `period`, deterministically by date."""
        return self.day.toordinal() % period == phase


def simulate_day(cursor: Cursor, seed: int | None) -> TickReport:
    """The day after the last order date: new customer, orders and lines, stock, statuses, payments, a price
    change and a sales-rep reassignment. Randomness is fixed by (seed, day); seed None means 0."""
    last_order_date, last_order_number, order_count, last_customer_number = _current_state(cursor)
    day = last_order_date + dt.timedelta(days=1)
    day_seed = zlib.crc32(f"{seed or 0}:{day.isoformat()}".encode())
    tick = _Tick(day=day, seed=day_seed, rng=random.Random(day_seed))
    report = TickReport(business_day=day)
    report.new_customer = _add_customer(cursor, tick, last_customer_number + 1)
    report.new_order_numbers, report.new_order_lines = _add_orders(cursor, tick, last_order_number, order_count)
    report.stock_changed_products = _update_stock(cursor, tick, report.new_order_numbers)
    report.status_changes = _change_statuses(cursor, tick)
    report.new_payments = _add_payments(cursor, tick)
    report.deleted_payments = _delete_payment(cursor, tick)
    report.price_changes = [_change_price(cursor, tick)]
    report.reassigned_customer = _reassign_customer(cursor, tick)
    return report


def _current_state(cursor: Cursor) -> tuple[dt.date, int, int, int]:
    try:
        cursor.execute("SELECT MAX(orderDate), MAX(orderNumber), COUNT(*) FROM orders")
        last_order_date, last_order_number, order_count = cursor.fetchone()
        cursor.execute("SELECT MAX(customerNumber) FROM customers")
        (last_customer_number,) = cursor.fetchone()
    except Exception as error:  # a missing table is pymysql.err.ProgrammingError
        raise LoadConfigError("no classicmodels demo schema here: run `python -m demo create` first") from error
    if last_order_date is None:
        raise LoadConfigError("the classicmodels demo has no orders: run `python -m demo create` first")
    return last_order_date, last_order_number, order_count, last_customer_number


def _add_customer(cursor: Cursor, tick: _Tick, customer_number: int) -> int:
    insert_customers(cursor, tick.seed, customer_number, 1, INACTIVE_CUSTOMER_SHARE)
    return customer_number


def _add_orders(cursor: Cursor, tick: _Tick, last_order_number: int, order_count: int) -> tuple[list[int], int]:
    """As many as the last days of the history had (so it follows the scale factor), at least one."""
    count = max(1, round(order_count / HISTORY_DAYS * RECENT_DAILY_ORDERS_FACTOR * tick.rng.uniform(0.7, 1.3)))
    first, last = last_order_number + 1, last_order_number + count
    insert_new_orders(cursor, tick.seed, count, first, tick.day)
    lines = insert_order_lines(cursor, tick.seed, first, last)
    return list(range(first, last + 1)), lines


def _update_stock(cursor: Cursor, tick: _Tick, new_orders: list[int]) -> list[str]:
    """Take the sold quantities out of stock (not below zero) and restock the scarcest product."""
    # A temporary table, not a derived one: joined to products, MariaDB would re-aggregate the sold units per
    # product through the productCode index (5 s at SF1000 instead of milliseconds).
    cursor.execute("DROP TEMPORARY TABLE IF EXISTS demo_sold_units")
    cursor.execute(f"""
        CREATE TEMPORARY TABLE demo_sold_units (PRIMARY KEY (productCode), units int NOT NULL)
        SELECT productCode, SUM(quantityOrdered) AS units FROM orderdetails
        WHERE orderNumber BETWEEN {new_orders[0]} AND {new_orders[-1]} GROUP BY productCode""")
    cursor.execute("SELECT productCode FROM products JOIN demo_sold_units USING (productCode) WHERE quantityInStock")
    changed = {code for (code,) in cursor.fetchall()}
    cursor.execute("""
        UPDATE products AS p JOIN demo_sold_units AS s USING (productCode)
        SET p.quantityInStock = GREATEST(p.quantityInStock - s.units, 0)""")
    cursor.execute("SELECT productCode FROM products ORDER BY quantityInStock, productCode LIMIT 1")
    (restocked,) = cursor.fetchone()
    cursor.execute(
        "UPDATE products SET quantityInStock = LEAST(quantityInStock + %s, %s) WHERE productCode = %s",
        (tick.rng.randint(2000, 6000), SMALLINT_MAX, restocked),
    )
    return sorted(changed | {restocked})


def _change_statuses(cursor: Cursor, tick: _Tick) -> list[StatusChange]:
    """Ship recent 'In Process' orders (all by their third day) and some of the backlog; every third day
    resolve the oldest dispute, and on another a 1-3 month old shipped order gets disputed."""
    cursor.execute("DROP TEMPORARY TABLE IF EXISTS demo_status_changes")
    # Typed after orders (CREATE ... SELECT), so the status columns share its collation.
    cursor.execute("""
        CREATE TEMPORARY TABLE demo_status_changes (orderNumber int PRIMARY KEY)
        SELECT orderNumber, orderDate, status AS old_status, status AS new_status FROM orders LIMIT 0""")
    window_start = tick.sql_date(RECENT_WINDOW_DAYS)
    shipping_chance = rand_sql(tick.seed, "ship", "orderNumber")
    cursor.execute(f"""
        INSERT INTO demo_status_changes
        SELECT orderNumber, orderDate, status, 'Shipped' FROM orders
        WHERE status = 'In Process' AND orderDate < {tick.sql_date()}
          AND IF(orderDate >= {window_start}, orderDate = {window_start} OR {shipping_chance} < 0.5,
                 {shipping_chance} < 0.2)""")
    if tick.every(3):
        cursor.execute("""
            INSERT INTO demo_status_changes
            SELECT orderNumber, orderDate, status, 'Resolved' FROM orders
            WHERE status = 'Disputed' ORDER BY orderDate, orderNumber LIMIT 1""")
    if tick.every(3, phase=1):
        cursor.execute(f"""
            INSERT INTO demo_status_changes
            SELECT orderNumber, orderDate, status, 'Disputed' FROM orders
            WHERE status = 'Shipped' AND orderDate BETWEEN {tick.sql_date(90)} AND {tick.sql_date(30)}
            ORDER BY {rand_sql(tick.seed, "dispute", "orderNumber")} LIMIT 1""")
    cursor.execute(f"""
        UPDATE orders AS o JOIN demo_status_changes AS c USING (orderNumber)
        SET o.status = c.new_status,
            o.shippedDate = IF(c.new_status = 'Shipped', {tick.sql_date()}, o.shippedDate),
            o.comments = CASE c.new_status
                WHEN 'Disputed' THEN 'Customer says the shipment was incomplete; "QA" is checking.'
                WHEN 'Resolved' THEN CONCAT_WS(' ', o.comments, 'Resolved with a credit note.')
                ELSE o.comments END""")
    cursor.execute(
        f"SELECT orderNumber, orderDate, old_status, new_status, orderDate < {window_start}"
        " FROM demo_status_changes ORDER BY orderNumber"
    )
    return [StatusChange(number, date, old, new, bool(outside)) for number, date, old, new, outside in cursor]


def _add_payments(cursor: Cursor, tick: _Tick) -> list[tuple[int, str]]:
    """Each unpaid order shipped in the last PAYMENT_WINDOW_DAYS is paid today with a 25% chance, in full;
    if none is, the longest-waiting one is, so every day has a payment."""
    cursor.execute("DROP TEMPORARY TABLE IF EXISTS demo_new_payments")
    check_number = check_number_sql("o.orderNumber")
    unpaid_orders = f"""
        SELECT o.orderNumber, o.customerNumber, {check_number} AS checkNumber, o.shippedDate
        FROM orders AS o
        WHERE o.orderDate >= {tick.sql_date(PAYMENT_WINDOW_DAYS * 2)} AND o.status IN {SHIPPED_STATUSES}
          AND o.shippedDate BETWEEN {tick.sql_date(PAYMENT_WINDOW_DAYS)} AND {tick.sql_date(1)}
          AND NOT EXISTS (SELECT 1 FROM payments AS p
                          WHERE p.customerNumber = o.customerNumber AND p.checkNumber = {check_number})"""
    cursor.execute(f"""
        CREATE TEMPORARY TABLE demo_new_payments AS
        SELECT orderNumber, customerNumber, checkNumber FROM ({unpaid_orders}) AS unpaid
        WHERE {rand_sql(tick.seed, "pay", "orderNumber")} < 0.25""")
    if cursor.rowcount == 0:
        cursor.execute(f"""
            INSERT INTO demo_new_payments
            SELECT orderNumber, customerNumber, checkNumber FROM ({unpaid_orders}) AS unpaid
            ORDER BY shippedDate, orderNumber LIMIT 1""")
    cursor.execute(f"""
        INSERT INTO payments (customerNumber, checkNumber, paymentDate, amount)
        SELECT n.customerNumber, n.checkNumber, {tick.sql_date()}, SUM(d.quantityOrdered * d.priceEach)
        FROM demo_new_payments AS n JOIN orderdetails AS d USING (orderNumber)
        GROUP BY n.orderNumber, n.customerNumber, n.checkNumber""")
    cursor.execute("SELECT customerNumber, checkNumber FROM demo_new_payments ORDER BY customerNumber, checkNumber")
    return [(customer, check) for customer, check in cursor]


def _delete_payment(cursor: Cursor, tick: _Tick) -> list[tuple[int, str]]:
    """Every fourth day a check bounces: an old payment (so its order is not paid again) is deleted."""
    if not tick.every(4):
        return []
    cursor.execute(f"""
        SELECT customerNumber, checkNumber FROM payments WHERE paymentDate < {tick.sql_date(OLD_PAYMENT_DAYS)}
        ORDER BY {rand_sql(tick.seed, "bounce", "CONCAT(customerNumber, '/', checkNumber)")} LIMIT 1""")
    bounced = cursor.fetchone()
    if bounced is None:
        return []
    cursor.execute("DELETE FROM payments WHERE customerNumber = %s AND checkNumber = %s", bounced)
    return [(bounced[0], bounced[1])]


def _change_price(cursor: Cursor, tick: _Tick) -> PriceChange:
    """One product's buy price and MSRP move together by -5%..+10%."""
    cursor.execute("SELECT productCode FROM products ORDER BY productCode")
    code = tick.rng.choice([row[0] for row in cursor.fetchall()])
    cursor.execute("SELECT buyPrice, MSRP FROM products WHERE productCode = %s FOR UPDATE", (code,))
    buy_price, msrp = cursor.fetchone()
    factor = Decimal(str(round(tick.rng.uniform(0.95, 1.10), 4)))
    new_buy_price = _moved_price(buy_price, factor)
    new_msrp = _moved_price(msrp, factor)
    cursor.execute(
        "UPDATE products SET buyPrice = %s, MSRP = %s WHERE productCode = %s", (new_buy_price, new_msrp, code)
    )
    return PriceChange(code, buy_price, new_buy_price, msrp, new_msrp)


def _moved_price(price: Decimal, factor: Decimal) -> Decimal:
    moved = (price * factor).quantize(Decimal("0.01"))
    return moved if moved != price else price + Decimal("0.01")  # a price change must change the price


def _reassign_customer(cursor: Cursor, tick: _Tick) -> RepReassignment | None:
    cursor.execute(f"""
        SELECT customerNumber, salesRepEmployeeNumber FROM customers WHERE salesRepEmployeeNumber IS NOT NULL
        ORDER BY {rand_sql(tick.seed, "reassign", "customerNumber")} LIMIT 1""")
    row = cursor.fetchone()
    if row is None:
        return None
    customer, old_rep = row
    new_rep = tick.rng.choice([rep for rep in sales_rep_numbers() if rep != old_rep])
    cursor.execute("UPDATE customers SET salesRepEmployeeNumber = %s WHERE customerNumber = %s", (new_rep, customer))
    return RepReassignment(customer, old_rep, new_rep)
