"""Our rows-event decoder against python-mysql-replication's, on real MariaDB binlog events: same values, same
types (DECIMAL scale, zero dates, fractional seconds, NULLs, signed and unsigned widths, character sets); and the
change log's JSON of those values."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pymysqlreplication.row_event import RowsEvent

from load.mysql import row_images as decoder
from load.mysql.binlog_position import current_position
from load.mysql.binlog_reader import _reader
from load.mysql.change_rows import json_text
from load.mysql.preflight import parse_credentials
from source_compare import mysql_connect

EVERY_TYPE = """
CREATE TABLE every_type (
    id INT PRIMARY KEY,
    tiny TINYINT, utiny TINYINT UNSIGNED, small SMALLINT, usmall SMALLINT UNSIGNED,
    medium MEDIUMINT, umedium MEDIUMINT UNSIGNED, normal INT, unormal INT UNSIGNED,
    big BIGINT, ubig BIGINT UNSIGNED, real_f FLOAT, real_d DOUBLE,
    price DECIMAL(10,2), wide DECIMAL(30,12), fraction DECIMAL(4,4), whole DECIMAL(18,0),
    short_text VARCHAR(20), long_text VARCHAR(400), fixed CHAR(5), latin VARCHAR(10) CHARACTER SET latin1,
    bytes VARBINARY(10), note TEXT, blob_value BLOB,
    day DATE, moment DATETIME, moment3 DATETIME(3), moment6 DATETIME(6),
    stamp TIMESTAMP NULL, stamp2 TIMESTAMP(2) NULL, yr YEAR
)"""
ROWS = [
    "(1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808,"
    " 18446744073709551615, 1.5, -2.25e300, -12345678.90, -123456789012345678.123456789012, -0.1234,"
    " 999999999999999999,"
    " 'héllo', REPEAT('x', 400), 'ab', 'café', x'00ff10', 'a long note', x'deadbeef',"
    " '2005-06-03', '2005-06-03 12:34:56', '2005-06-03 12:34:56.789', '1999-12-31 23:59:59.000001',"
    " '2020-02-29 01:02:03', '2020-02-29 01:02:03.45', 2024)",
    "(2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0, 0, 0,"
    " 0.00, 0.000000000001, 0.9999, -999999999999999999, '', '', '', '', x'', '', x'',"
    " '0000-00-00', '0000-00-00 00:00:00', '2005-06-03 00:00:00.000', '2005-06-03 00:00:00.100000',"
    " NULL, NULL, 0)",
    "(3" + ", NULL" * 30 + ")",
]


def _images(loader_url: str, start: Any, decode: Any) -> list[Any]:
    stream = _reader(parse_credentials(loader_url), log_file=start.file, log_pos=start.pos, resume_stream=True)
    try:
        return [decode(event) for event in stream if isinstance(event, RowsEvent) and event.table == "every_type"]
    finally:
        stream.close()


def _typed(images: list[Any]) -> list[Any]:
    """Images with every value's type and text, so that Decimal('1.50') and Decimal('1.5') differ."""
    return [
        [None if image is None else {k: (type(v).__name__, repr(v)) for k, v in image.items()} for image in pair]
        for event in images
        for pair in event
    ]


def test_our_decoder_gives_the_library_values(admin_url: str, loader_url: str) -> None:
    with mysql_connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute("SET SESSION sql_mode = ''")  # zero dates
        cursor.execute("SET SESSION time_zone = '+00:00'")
        cursor.execute(EVERY_TYPE)
        start = current_position(cursor)
        cursor.execute(f"INSERT INTO every_type VALUES {', '.join(ROWS)}")
        cursor.execute("UPDATE every_type SET price = -price, note = CONCAT(note, '!'), day = '2024-02-29'")
        cursor.execute("DELETE FROM every_type WHERE id = 2")
        connection.commit()
    assert start is not None
    ours = _images(loader_url, start, decoder.row_images)
    theirs = _images(loader_url, start, decoder._library_images)
    assert [len(event) for event in ours] == [3, 3, 1]
    assert _typed(ours) == _typed(theirs)
    assert any(readers is not None for readers in decoder._readers_by_shape.values())  # not the library's
    first = ours[0][0][1]
    assert first["price"] == Decimal("-12345678.90") and first["ubig"] == 2**64 - 1 and first["latin"] == "café"
    assert ours[0][1][1]["day"] is None and ours[1][2][0] is not None and ours[1][2][0]["tiny"] is None


@pytest.mark.parametrize("column", ["kind ENUM('a','b')", "flags SET('x','y')", "at TIME", "doc JSON", "mask BIT(3)"])
def test_a_type_we_do_not_decode_takes_the_library_decoder(admin_url: str, loader_url: str, column: str) -> None:
    with mysql_connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE every_type (id INT PRIMARY KEY, price DECIMAL(10,2), {column})")
        start = current_position(cursor)
        cursor.execute("INSERT INTO every_type (id, price) VALUES (1, 2.50)")
        connection.commit()
    assert start is not None
    ours = _images(loader_url, start, decoder.row_images)
    assert _typed(ours) == _typed(_images(loader_url, start, decoder._library_images))
    assert ours[0][0][1]["price"] == Decimal("2.50")


def test_the_change_log_keeps_every_value_exact_in_json() -> None:
    image = {
        "price": Decimal("-12345678.90"),
        "day": date(2005, 6, 3),
        "at": datetime(2005, 6, 3, 12, 34, 56, 789000),
        "lasted": timedelta(hours=-1, seconds=5),
        "raw": b"\x00\xff",
        "flags": {"y", "x"},
        "name": "café",
        "none": None,
        "big": 2**64 - 1,
    }
    assert json.loads(json_text(image)) == {
        "price": "-12345678.90",
        "day": "2005-06-03",
        "at": "2005-06-03T12:34:56.789000",
        "lasted": "-1 day, 23:00:05",
        "raw": "AP8=",
        "flags": ["x", "y"],
        "name": "café",
        "none": None,
        "big": 2**64 - 1,
    }
