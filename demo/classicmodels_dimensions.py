"""The small, fixed dimension tables of the classicmodels demo: product lines, products, offices, employees.

They do not grow with the scale factor, so they are built in Python and inserted in one batch each.
"""

from __future__ import annotations

import random
from dataclasses import astuple, dataclass

from pymysql.cursors import Cursor

# Products per line as in the original sample database (110 in all).
PRODUCT_LINES: dict[str, tuple[int, str]] = {
    "Classic Cars": (38, "Attention car enthusiasts: make your wildest car ownership dreams come true."),
    "Motorcycles": (13, "Our motorcycles are state of the art replicas of classic as well as contemporary models."),
    "Planes": (12, "Unique, diecast airplane and helicopter replicas suitable for collections."),
    "Ships": (9, "The perfect holiday or anniversary gift for executives, clients, friends, and family."),
    "Trains": (3, "Model trains are a rewarding hobby for enthusiasts of all ages."),
    "Trucks and Buses": (11, "The Truck and Bus models are realistic replicas of buses and specialized trucks."),
    "Vintage Cars": (24, "Our Vintage Car models realistically portray automobiles produced from the early 1900s."),
}

MODELS: dict[str, list[str]] = {
    "Classic Cars": [
        "Ferrari Enzo",
        "Mercedes-Benz SL",
        "Porsche 911",
        "Aston Martin DB5",
        "Chevrolet Camaro",
        "Ford Mustang",
        "Jaguar E-Type",
        "Citroën DS",
        "Alfa Romeo GTV",
        "Lamborghini Miura",
        "BMW 507",
        "Dodge Charger",
        "Volvo P1800",
        "Saab 96",
    ],
    "Motorcycles": [
        "Harley Davidson Eagle",
        "Ducati 900",
        "Honda CB750",
        "BMW R75",
        "Triumph Bonneville",
        "Moto Guzzi Le Mans",
    ],
    "Planes": ["P-51 Mustang", "Spitfire", "Boeing 747", "Douglas DC-3", "Concorde", "Junkers Ju 52"],
    "Ships": ["HMS Victory", "Titanic", "Mayflower", "Vasa", "USS Constitution", "Cutty Sark"],
    "Trains": ["Orient Express", "Flying Scotsman", "Santa Fe Chief"],
    "Trucks and Buses": [
        "Ford F-150",
        "Volkswagen T1",
        "Mack Dump Truck",
        "Scania Vabis",
        "Greyhound Bus",
        "Dodge Power Wagon",
    ],
    "Vintage Cars": [
        "Ford Model T",
        "Bugatti Type 35",
        "Rolls-Royce Silver Ghost",
        "Duesenberg SJ",
        "Packard Coupé",
        "Hispano-Suiza H6",
        "Mercedes Simplex",
    ],
}

SCALES = ["1:10", "1:12", "1:18", "1:24", "1:32", "1:50", "1:72", "1:700"]

VENDORS = ["Min Lin Diecast", "Classic Metal Creations", "Highway 66 Mini Classics", "Red Start Diecast",
           "Motor City Art Classics", "Second Gear Diecast", "Autoart Studio Design", "Welly Diecast Productions",
           "Unimax Art Galleries", "Studio M Art Models", "Exoto Designs", "Gearbox Collectibles",
           "Carousel DieCast Legends", "Åkesson Modellbau"]  # fmt: skip

OFFICES: list[tuple[str, str, str, str, str | None, str | None, str, str, str]] = [
    ("1", "San Francisco", "+1 650 219 4782", "100 Market Street", "Suite 300", "CA", "USA", "94080", "NA"),
    ("2", "Boston", "+1 215 837 0825", "1550 Court Place", "Suite 102", "MA", "USA", "02107", "NA"),
    ("3", "NYC", "+1 212 555 3000", "523 East 53rd Street", "apt. 5A", "NY", "USA", "10022", "NA"),
    ("4", "Paris", "+33 14 723 4404", "43 Rue Jouffroy D'abbans", None, None, "France", "75017", "EMEA"),
    ("5", "Tokyo", "+81 33 224 5000", "4-1 Kioicho", None, "Chiyoda-Ku", "Japan", "102-8578", "Japan"),
    ("6", "Sydney", "+61 2 9264 2451", "5-11 Wentworth Avenue", "Floor #2", None, "Australia", "NSW 2010", "APAC"),
    ("7", "London", "+44 20 7877 2041", "25 Old Broad Street", "Level 7", None, "UK", "EC2N 1HN", "EMEA"),
]

SALES_REP = "Sales Rep"

# (employeeNumber, lastName, firstName, officeCode, reportsTo, jobTitle): a president, two VPs,
# three sales managers and 17 sales reps, as in the original; some names are non-ASCII or quoted on purpose.
EMPLOYEES: list[tuple[int, str, str, str, int | None, str]] = [
    (1002, "Murphy", "Diane", "1", None, "President"),
    (1056, "Patterson", "Mary", "1", 1002, "VP Sales"),
    (1076, "Firrelli", "Jeff", "1", 1002, "VP Marketing"),
    (1088, "Patterson", "William", "6", 1056, "Sales Manager (APAC)"),
    (1102, "Bondur", "Gérard", "4", 1056, "Sales Manager (EMEA)"),
    (1143, "Bow", "Anthony", "1", 1056, "Sales Manager (NA)"),
    (1165, "Jennings", "Leslie", "1", 1143, SALES_REP),
    (1166, "Thompson", "Leslie", "1", 1143, SALES_REP),
    (1188, "Firrelli", "Julie", "2", 1143, SALES_REP),
    (1216, "O'Hara", "Siobhán", "2", 1143, SALES_REP),
    (1286, "Tseng", "Foon Yue", "3", 1143, SALES_REP),
    (1323, "Vanauf", "George", "3", 1143, SALES_REP),
    (1337, "Bondur", "Loui", "4", 1102, SALES_REP),
    (1370, "Hernández", "Gerardo", "4", 1102, SALES_REP),
    (1401, "Castillo", "Pamela", "4", 1102, SALES_REP),
    (1501, "Åkesson", "Lars", "7", 1102, SALES_REP),
    (1504, "Jones", "Barry", "7", 1102, SALES_REP),
    (1611, "Fixter", "Andy", "6", 1088, SALES_REP),
    (1612, "Marsh", "Peter", "6", 1088, SALES_REP),
    (1619, "King", "Tom", "6", 1088, SALES_REP),
    (1621, "Nishi", "Mami", "5", 1056, SALES_REP),
    (1625, "Kato", "Yoshimi", "5", 1621, SALES_REP),
    (1702, "Mörkö", "Aino", "4", 1102, SALES_REP),
]


@dataclass(frozen=True)
class Product:
    productCode: str
    productName: str
    productLine: str
    productScale: str
    productVendor: str
    productDescription: str
    quantityInStock: int
    buyPrice: float
    MSRP: float


def sales_rep_numbers() -> list[int]:
    return [number for number, *_, title in EMPLOYEES if title == SALES_REP]


def build_products(seed: int) -> list[Product]:
    """110 products with unique codes like S18_1749, deterministic for the seed."""
    rng = random.Random(f"classicmodels-products:{seed}")
    products: list[Product] = []
    used_codes: set[str] = set()
    for line, (count, _) in PRODUCT_LINES.items():
        for index in range(count):
            model = MODELS[line][index % len(MODELS[line])]
            year = rng.randint(1903, 2004) if line != "Vintage Cars" else rng.randint(1903, 1940)
            scale = rng.choice(SCALES)
            code = _unique_code(rng, scale, used_codes)
            buy_price = round(rng.uniform(15, 105), 2)
            products.append(
                Product(
                    productCode=code,
                    productName=f"{year} {model}",
                    productLine=line,
                    productScale=scale,
                    productVendor=rng.choice(VENDORS),
                    productDescription=f'{scale} scale replica of the {year} {model}, with the "original" '
                    "details: opening doors, working steering and a display stand.",
                    quantityInStock=rng.randint(500, 9900),
                    buyPrice=buy_price,
                    MSRP=round(buy_price * rng.uniform(1.6, 2.2), 2),
                )
            )
    return products


def _unique_code(rng: random.Random, scale: str, used_codes: set[str]) -> str:
    prefix = "S" + scale.split(":")[1]
    while True:
        code = f"{prefix}_{rng.randint(1000, 9999)}"
        if code not in used_codes:
            used_codes.add(code)
            return code


def insert_dimensions(cursor: Cursor, seed: int) -> None:
    cursor.executemany(
        "INSERT INTO productlines (productLine, textDescription, htmlDescription, image) VALUES (%s, %s, NULL, NULL)",
        [(line, text) for line, (_, text) in PRODUCT_LINES.items()],
    )
    cursor.executemany(
        "INSERT INTO products (productCode, productName, productLine, productScale, productVendor,"
        " productDescription, quantityInStock, buyPrice, MSRP) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [astuple(product) for product in build_products(seed)],
    )
    cursor.executemany(
        "INSERT INTO offices (officeCode, city, phone, addressLine1, addressLine2, state, country, postalCode,"
        " territory) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        OFFICES,
    )
    # Managers come before their reports in EMPLOYEES, so the self-reference holds row by row.
    cursor.executemany(
        "INSERT INTO employees (employeeNumber, lastName, firstName, extension, email, officeCode, reportsTo,"
        " jobTitle) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        [_employee_row(*employee) for employee in EMPLOYEES],
    )


def _employee_row(
    number: int, last: str, first: str, office: str, reports_to: int | None, title: str
) -> tuple[object, ...]:
    ascii_last = last.encode("ascii", "ignore").decode().replace("'", "").lower()
    email = f"{first[0].lower()}{ascii_last}@classicmodelcars.com"
    return (number, last, first, f"x{1000 + number % 9000}", email, office, reports_to, title)
