"""Set-based generators for the classicmodels tables that grow with the scale factor.

Every row is computed by MariaDB itself: `INSERT ... SELECT` over the sequence engine's `seq_1_to_N`, with
pseudo-random numbers taken from MD5 of (seed, purpose, row key). That keeps SF1000 (~3M order lines) at
seconds and makes the data a pure function of seed and scale. The sequence engine is MariaDB-only; the rest
(window functions, MD5, CONV, ELT) is also valid MySQL 8.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from math import gcd

from pymysql.converters import escape_string
from pymysql.cursors import Cursor

from demo.classicmodels_dimensions import EMPLOYEES, SALES_REP

HISTORY_DAYS = 912  # ~2.5 years of orders before the current business day
# Orders per day grow linearly, doubling over the history: the last day has 4/3 of the average day.
RECENT_DAILY_ORDERS_FACTOR = 4 / 3
MAX_LINES_PER_ORDER = 17  # averages ~9 lines an order, as in the original data
UNPAID_SHARE = 0.05  # shipped orders never paid: open balances for the demo
SHIPPED_STATUSES = ("Shipped", "Resolved")  # the statuses that get paid

CUSTOMER_PREFIXES = ["Atelier", "Mörkö", "Señor", "O'Hara", "Euro+", "Mini", "Land of", "Australian", "Diecast",
                     "Toys4", "Volvo Model", "Heintze", "Baane", "La Rochelle", "Cruz &", "Åkesson",
                     "Muscle Machine", "Vitachrome", "Corrida", "Handji", "Gift Depot", "Québec"]  # fmt: skip
CUSTOMER_KINDS = ["Gifts", "Collectables", "Replicas", "Imports", "Model Cars", "Toys", "Souvenirs",
                  "Diecast Classics", "Auto Replicas", "Gift Stores"]  # fmt: skip
CUSTOMER_SUFFIXES = ["", " Inc.", " Ltd.", " Co.", " GmbH", " AB", " Oy", ", S.A.", " & Co."]
FIRST_NAMES = ["Carine", "Jean", "Peter", "Janine", "Jonas", "Susan", "Zoë", "Jürgen", "Åsa", "José",
               "Siobhán", "Renée", "Mika", "Yu", "Diego", "Ingrid", "Martín", "Annette", "Kwai", "Rachel"]  # fmt: skip
LAST_NAMES = ["Schmitt", "King", "Ferguson", "Labrune", "Bergulfsen", "Nelson", "O'Hara", "Müller", "Åkesson",
              "Mörkö", "Núñez", "Piestrzeniewicz", "Keitel", "Murphy", "Lee", "D'Souza", "Saavedra", "Frick",
              "Kuo", "Hernández"]  # fmt: skip
STREETS = ["rue Royale", "Hauptstraße", "Strömgatan", "Calle de Alcalá", "Elm Street", "O'Connell Street",
           "Via del Corso", "Kirkegårdsvej", "Market Street", "Rua do Comércio"]  # fmt: skip
# (city, state, country, phone prefix, officeCode of the sales reps who serve it)
GEOGRAPHY: list[tuple[str, str | None, str, str, str]] = [
    ("San Francisco", "CA", "USA", "+1 415", "1"),
    ("Las Vegas", "NV", "USA", "+1 702", "1"),
    ("Boston", "MA", "USA", "+1 617", "2"),
    ("New Haven", "CT", "USA", "+1 203", "2"),
    ("NYC", "NY", "USA", "+1 212", "3"),
    ("Montréal", "Québec", "Canada", "+1 514", "3"),
    ("Nantes", None, "France", "+33 40", "4"),
    ("Madrid", None, "Spain", "+34 91", "4"),
    ("München", None, "Germany", "+49 89", "4"),
    ("Tokyo", "Tokyo", "Japan", "+81 3", "5"),
    ("Melbourne", "Victoria", "Australia", "+61 3", "6"),
    ("Auckland", None, "New Zealand", "+64 9", "6"),
    ("London", None, "UK", "+44 20", "7"),
    ("Helsinki", None, "Finland", "+358 9", "7"),
    ("Luleå", None, "Sweden", "+46 920", "7"),
    ("Århus", None, "Denmark", "+45 86", "7"),
]
CANCEL_REASONS = ["Customer didn't like the colors and precision of the models.",
                  "Customer cancelled: found a \"better\" price at a competitor.",
                  "Señor Núñez cancelled after a credit check."]  # fmt: skip
HOLD_REASONS = ["Customer credit limit exceeded. Will ship when a payment is received.",
                "On hold until O'Hara confirms the shipping address."]  # fmt: skip
DISPUTE_REASONS = ["Customer claims the shipment arrived damaged.",
                   "Customer says the models are not as \"described\" in the catalogue."]  # fmt: skip
GENERAL_COMMENTS = ["Check on availability.", "Can we deliver this order before the Christmas rush?",
                    "Customer requested special shipment: gift wrapping for Mörkö's birthday.",
                    "Please ship with the 'express' courier."]  # fmt: skip


def sql_literal(value: str | int | None) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + escape_string(value) + "'"


def rand_sql(seed: int, purpose: str, key_sql: str) -> str:
    """A uniform number in [0, 1) fixed by (seed, purpose, key): MD5, not CRC32, whose linearity would
    correlate the numbers drawn for different purposes of the same row."""
    return f"(CONV(LEFT(MD5(CONCAT_WS(':', {int(seed)}, '{purpose}', {key_sql})), 8), 16, 10) / 4294967296)"


def pick_sql(index_sql: str, options: Sequence[str | int | None]) -> str:
    """The option at a 1-based index."""
    return f"ELT({index_sql}, {', '.join(sql_literal(option) for option in options)})"


def random_pick_sql(seed: int, purpose: str, key_sql: str, options: Sequence[str | int | None]) -> str:
    return pick_sql(f"1 + FLOOR({len(options)} * {rand_sql(seed, purpose, key_sql)})", options)


def check_number_sql(order_number_sql: str) -> str:
    """A check number like 'HQ336336' derived from the order it pays (seed-free, so a later tick with another
    seed can tell a paid order). Unique per order up to order number 1,000,000 (SF ~3000)."""
    letters = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"
    return (
        f"CONCAT(SUBSTRING({letters}, 1 + CONV(SUBSTRING(MD5({order_number_sql}), 1, 2), 16, 10) % 26, 1), "
        f"SUBSTRING({letters}, 1 + CONV(SUBSTRING(MD5({order_number_sql}), 3, 2), 16, 10) % 26, 1), "
        f"LPAD(MOD({order_number_sql} * 104729, 1000000), 6, '0'))"
    )


def insert_customers(cursor: Cursor, seed: int, first_number: int, count: int, inactive_share: float) -> None:
    """`count` customers numbered from `first_number`; an `inactive_share` has no sales rep and no credit
    (they will get no orders)."""
    r = partial(rand_sql, seed, key_sql="n")
    cursor.execute(f"""
        INSERT INTO customers (customerNumber, customerName, contactLastName, contactFirstName, phone,
            addressLine1, addressLine2, city, state, postalCode, country, salesRepEmployeeNumber, creditLimit)
        SELECT n,
            CONCAT({random_pick_sql(seed, "prefix", "n", CUSTOMER_PREFIXES)}, ' ',
                   {random_pick_sql(seed, "kind", "n", CUSTOMER_KINDS)},
                   {random_pick_sql(seed, "suffix", "n", CUSTOMER_SUFFIXES)}),
            {random_pick_sql(seed, "last", "n", LAST_NAMES)},
            {random_pick_sql(seed, "first", "n", FIRST_NAMES)},
            CONCAT({pick_sql("geo", [g[3] for g in GEOGRAPHY])}, ' ', LPAD(FLOOR(10000000 * {r("phone")}), 7, '0')),
            CONCAT(1 + FLOOR(9999 * {r("house")}), ' ', {random_pick_sql(seed, "street", "n", STREETS)}),
            IF({r("line2")} < 0.15, CONCAT('Suite ', 100 + FLOOR(900 * {r("suite")})), NULL),
            {pick_sql("geo", [g[0] for g in GEOGRAPHY])},
            {pick_sql("geo", [g[1] for g in GEOGRAPHY])},
            LPAD(FLOOR(100000 * {r("postal")}), 5, '0'),
            {pick_sql("geo", [g[2] for g in GEOGRAPHY])},
            IF(inactive, NULL, {_sales_rep_for_geo_sql(seed)}),
            IF(inactive, 0, 100 * (200 + FLOOR(2100 * {r("credit")})))
        FROM (
            SELECT seq + {first_number - 1} AS n,
                1 + FLOOR({len(GEOGRAPHY)} * {rand_sql(seed, "geo", f"seq + {first_number - 1}")}) AS geo,
                {rand_sql(seed, "inactive", f"seq + {first_number - 1}")} < {inactive_share} AS inactive
            FROM seq_1_to_{count}
        ) AS numbered
    """)


def _sales_rep_for_geo_sql(seed: int) -> str:
    """A rep from the office that serves the customer's region."""
    cases = []
    for office in sorted({g[4] for g in GEOGRAPHY}):
        reps = [number for number, _, _, code, _, title in EMPLOYEES if code == office and title == SALES_REP]
        geo_indexes = ", ".join(str(i + 1) for i, g in enumerate(GEOGRAPHY) if g[4] == office)
        cases.append(f"WHEN geo IN ({geo_indexes}) THEN {random_pick_sql(seed, 'rep', 'n', reps)}")
    return f"CASE {' '.join(cases)} END"


def index_active_customers(cursor: Cursor) -> int:
    """A temporary table numbering the customers with a sales rep 1..N, so orders can pick one by number."""
    cursor.execute("DROP TEMPORARY TABLE IF EXISTS demo_active_customers")
    cursor.execute(
        "CREATE TEMPORARY TABLE demo_active_customers (customer_index int PRIMARY KEY, customerNumber int NOT NULL)"
    )
    cursor.execute("""
        INSERT INTO demo_active_customers
        SELECT ROW_NUMBER() OVER (ORDER BY customerNumber), customerNumber
        FROM customers WHERE salesRepEmployeeNumber IS NOT NULL
    """)
    return cursor.rowcount


def index_products(cursor: Cursor) -> int:
    """A temporary table numbering the products 0..N-1, so order lines can pick one by number."""
    cursor.execute("DROP TEMPORARY TABLE IF EXISTS demo_products")
    # Text columns of helper tables come from the real ones (CREATE ... SELECT), so they share their collation
    # whatever the database default is: comparing two collations is an error in MySQL.
    cursor.execute("""
        CREATE TEMPORARY TABLE demo_products (product_index int PRIMARY KEY)
        SELECT ROW_NUMBER() OVER (ORDER BY productCode) - 1 AS product_index, productCode, MSRP FROM products
    """)
    return cursor.rowcount


def insert_history_orders(cursor: Cursor, seed: int, count: int, first_number: int, last_day: dt.date) -> None:
    """`count` orders over HISTORY_DAYS up to `last_day`, numbered by date; recent days are busier. Orders
    of the last 3 days are 'In Process' (a tick ships them by their third day), and a few stragglers up to
    two weeks old."""
    active_customers = index_active_customers(cursor)
    r = partial(rand_sql, seed, key_sql="seq")
    # Status buckets come from a golden-ratio (Weyl) sequence, not a hash: evenly spread even over the 326
    # orders of SF1, so every rare status shows up.
    cursor.execute(f"""
        INSERT INTO orders (orderNumber, orderDate, requiredDate, shippedDate, status, comments, customerNumber)
        SELECT {first_number - 1} + ROW_NUMBER() OVER (ORDER BY order_date, seq),
            order_date,
            order_date + INTERVAL 7 + FLOOR(8 * {r("required")}) DAY,
            IF(status IN ('Shipped', 'Resolved', 'Disputed'),
               order_date + INTERVAL LEAST(1 + FLOOR(6 * {r("ship")}), days_ago) DAY, NULL),
            status,
            CASE status
                WHEN 'Cancelled' THEN {random_pick_sql(seed, "cancel", "seq", CANCEL_REASONS)}
                WHEN 'On Hold' THEN {random_pick_sql(seed, "hold", "seq", HOLD_REASONS)}
                WHEN 'Disputed' THEN {random_pick_sql(seed, "dispute", "seq", DISPUTE_REASONS)}
                WHEN 'Resolved' THEN CONCAT({random_pick_sql(seed, "dispute", "seq", DISPUTE_REASONS)},
                                            ' Resolved with a credit note.')
                ELSE IF({r("comment")} < 0.12, {random_pick_sql(seed, "general", "seq", GENERAL_COMMENTS)}, NULL)
            END,
            c.customerNumber
        FROM (
            SELECT seq, days_ago, customer_index, DATE '{last_day.isoformat()}' - INTERVAL days_ago DAY AS order_date,
                CASE
                    WHEN days_ago < 3 OR (days_ago < 14 AND bucket >= 970) THEN 'In Process'
                    WHEN bucket < 25 THEN 'Cancelled'
                    WHEN bucket < 40 THEN 'On Hold'
                    WHEN bucket < 55 THEN 'Disputed'
                    WHEN bucket < 70 THEN 'Resolved'
                    ELSE 'Shipped'
                END AS status
            FROM (
                SELECT seq,
                    -- Inverse CDF of a density rising linearly to twice its start; order 1 is today's, so
                    -- the history always ends on the last day and has an 'In Process' order.
                    IF(seq = 1, 0, FLOOR({HISTORY_DAYS} * (2 - SQRT(1 + 3 * {r("age")})))) AS days_ago,
                    1 + FLOOR({active_customers} * POW({r("customer")}, 1.6)) AS customer_index,
                    FLOOR(1000 * MOD(seq * 0.6180339887 + {(int(seed) % 1000) / 1000}, 1)) AS bucket
                FROM seq_1_to_{count}
            ) AS drawn
        ) AS o
        JOIN demo_active_customers AS c USING (customer_index)
    """)


def insert_new_orders(cursor: Cursor, seed: int, count: int, first_number: int, day: dt.date) -> None:
    """`count` new 'In Process' orders placed on `day`, numbered from `first_number`."""
    active_customers = index_active_customers(cursor)
    key = f"seq + {first_number}"
    comment = random_pick_sql(seed, "general", key, GENERAL_COMMENTS)
    cursor.execute(f"""
        INSERT INTO orders (orderNumber, orderDate, requiredDate, shippedDate, status, comments, customerNumber)
        SELECT {first_number - 1} + seq, DATE '{day.isoformat()}',
            DATE '{day.isoformat()}' + INTERVAL 7 + FLOOR(8 * {rand_sql(seed, "required", key)}) DAY,
            NULL, 'In Process',
            IF({rand_sql(seed, "comment", key)} < 0.12, {comment}, NULL),
            c.customerNumber
        FROM seq_1_to_{count}
        JOIN demo_active_customers AS c
            ON c.customer_index = 1 + FLOOR({active_customers} * POW({rand_sql(seed, "customer", key)}, 1.6))
    """)


def insert_order_lines(cursor: Cursor, seed: int, first_order: int, last_order: int) -> int:
    """1..MAX_LINES_PER_ORDER lines for each order in the range: distinct products (a random start and a
    step coprime to the product count walk the catalogue), quantities 20-50, prices 82-100% of MSRP."""
    product_count = index_products(cursor)
    _draw_order_shapes(cursor, seed, first_order, last_order, product_count)
    line_key = "CONCAT(o.orderNumber, '/', l.seq)"
    cursor.execute(f"""
        INSERT INTO orderdetails (orderNumber, productCode, quantityOrdered, priceEach, orderLineNumber)
        SELECT o.orderNumber, p.productCode,
            20 + FLOOR(31 * {rand_sql(seed, "quantity", line_key)}),
            ROUND(p.MSRP * (0.82 + 0.18 * {rand_sql(seed, "price", line_key)}), 2),
            l.seq
        FROM demo_order_shapes AS o
        JOIN seq_1_to_{MAX_LINES_PER_ORDER} AS l ON l.seq <= o.line_count
        JOIN demo_products AS p ON p.product_index = (o.first_product + (l.seq - 1) * o.step) % {product_count}
    """)
    return cursor.rowcount


def _draw_order_shapes(cursor: Cursor, seed: int, first_order: int, last_order: int, product_count: int) -> None:
    """Per order: line count, first product and step, in a temporary table. Drawn once per order: joined
    straight to the sequence, MariaDB would recompute them for every candidate line (4x slower)."""
    steps = [step for step in (1, 3, 7, 13, 17, 19) if gcd(step, product_count) == 1]
    r = partial(rand_sql, seed, key_sql="orderNumber")
    cursor.execute("DROP TEMPORARY TABLE IF EXISTS demo_order_shapes")
    cursor.execute(f"""
        CREATE TEMPORARY TABLE demo_order_shapes (orderNumber int PRIMARY KEY,
            line_count int NOT NULL, first_product int NOT NULL, step int NOT NULL)
        SELECT orderNumber,
            1 + FLOOR({MAX_LINES_PER_ORDER} * {r("lines")}) AS line_count,
            FLOOR({product_count} * {r("first_product")}) AS first_product,
            {random_pick_sql(seed, "step", "orderNumber", steps)} AS step
        FROM orders WHERE orderNumber BETWEEN {int(first_order)} AND {int(last_order)}
    """)


def insert_history_payments(cursor: Cursor, seed: int, last_day: dt.date) -> None:
    """One check per shipped order for its full amount, 3-40 days after shipping (if that is past by
    `last_day`), except an UNPAID_SHARE of open balances."""
    cursor.execute(f"""
        INSERT INTO payments (customerNumber, checkNumber, paymentDate, amount)
        SELECT o.customerNumber, {check_number_sql("o.orderNumber")}, o.payment_date, t.total
        FROM (
            SELECT orderNumber, customerNumber,
                shippedDate + INTERVAL 3 + FLOOR(38 * {rand_sql(seed, "pay_delay", "orderNumber")}) DAY AS payment_date
            FROM orders
            WHERE status IN {SHIPPED_STATUSES} AND {rand_sql(seed, "unpaid", "orderNumber")} >= {UNPAID_SHARE}
        ) AS o
        JOIN (SELECT orderNumber, SUM(quantityOrdered * priceEach) AS total FROM orderdetails GROUP BY orderNumber)
            AS t USING (orderNumber)
        WHERE o.payment_date <= DATE '{last_day.isoformat()}'
    """)
