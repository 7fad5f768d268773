"""A batch of messages checked at once (load/kafka/batch_validation.py) decides every message as validation.py does
one by one: same table, same columns, same reject reason. Pure: messages are built in memory."""

from __future__ import annotations

import json
import random
import sys
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from confluent_kafka import TIMESTAMP_CREATE_TIME, TIMESTAMP_NOT_AVAILABLE, Message
from shop_line import LINE

from load.arrow_chunks import in_chunks
from load.kafka.batch_validation import accepted_rows
from load.kafka.tables import REJECTED_TABLE, TRANSACTIONS_TABLE, batch_tables, route
from load.kafka.validation import decoded, payload_text

# Values each field takes in the generated batches: valid, valid only after validation.py's own reading, and bad.
# `...` removes the field; "Loyalty" is a field the shop added.
VARIANTS: dict[str, list[Any]] = {
    "TransactionNo": ["581482", "C581482", " 581482", "A1", "C", "", "1" * 18, "1" * 19, 581482, None, "c123"],
    "Date": [
        "2019-12-09T10:03:00",
        "2019-12-09 10:03:00",
        "2019-12-09T10:03:00Z",
        "2019-12-09T10:03:00.5",
        "2019-12-09T10:03:00.123456+05:30",
        "2019-12-09T10:03:00-08:00",
        "2019-12-09T10:03:00.1234567",
        "2019-12-09T10:03",
        "2019-12-09t10:03:00",
        "2019-12-09T10:03:00,5",
        "2019-12-09T10:03:00+0530",
        "2019-12-09T10:03:00+24:00",
        "2019-02-30T10:03:00",
        "2019-12-31T23:59:60",
        "2019-12-09T24:00:00",
        "2020-02-29T00:00:00",
        " 2019-12-09T10:03:00 ",
        "9999-12-31T23:59:59-01:00",
        "0001-01-01T00:00:00+01:00",
        "1000-01-01T00:00:00+01:00",
        "2019-12-09",
        "12/9/2019",
        20191209,
        None,
        "",
    ],
    "ProductNo": ["22485", " 22485", "22485\u3000", "\u00a0x", "\x1cx", "É", "", "  ", 22485, None, "x\ny"],
    "ProductName": ["Crates", "Ünïcödé 🎉", " pad", "x\x85"],
    "Price": [21.47, 0, 0.0, -0.0, 0.29, 10.655, -1, 9999999999.99, 10**10, "21.47", True, None, 10**30, 1e-5],
    "Quantity": [12, -12, 0, 2**31, 2**31 - 1, 3.0, "3", True, None, 10**30],
    "CustomerNo": [17490, "17490", " 17490", "guest", None, -1, 10**18, 10**18 - 1, True, 1.5, "", 10**30, ...],
    "Country": ["United Kingdom", "", " UK", None],
    "Loyalty": [..., "gold", {"tier": [1, 2]}, None],
}
NOT_DOCUMENTS = [b"\xff\xfe", b'{"TransactionNo": ', b"[1, 2]", b"null", b"", None, b"NaN", b"1"]


def _document(changes: dict[str, Any]) -> bytes:
    line = {**LINE, **changes}
    if str(line.get("TransactionNo", "")).startswith("C") and "Quantity" not in changes:
        line["Quantity"] = -12
    return json.dumps({name: value for name, value in line.items() if value is not ...}, ensure_ascii=False).encode()


def _message(offset: int, value: bytes | None) -> Message:
    key = [b"581482", None, b"\xff", "é".encode()][offset % 4]
    stamp = (TIMESTAMP_NOT_AVAILABLE, 0) if offset % 7 == 0 else (TIMESTAMP_CREATE_TIME, 1575885780123 + offset)
    return Message(topic="shop", partition=offset % 3, offset=offset, key=key, value=value, timestamp=stamp)


def _one_by_one(messages: list[Message]) -> dict[str, list[dict[str, Any]]]:
    """What validation.py makes of each message alone, with where it came from: the expected tables' rows."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for message in messages:
        table, row = route(message.value())
        kind, milliseconds = message.timestamp()
        tables.setdefault(table, []).append(
            {
                **row,
                "topic": message.topic(),
                "topic_partition": message.partition(),
                "message_offset": message.offset(),
                "message_key": None if message.key() is None else payload_text(message.key())[0],
                "message_at": None
                if kind == TIMESTAMP_NOT_AVAILABLE
                else datetime.fromtimestamp(milliseconds / 1000, UTC),
                "_dlt_id": f"{message.topic()}/{message.partition()}/{message.offset()}",
            }
        )
    return tables


def _rows(tables: dict[str, pa.Table]) -> dict[str, list[dict[str, Any]]]:
    return {table: sorted(rows.to_pylist(), key=lambda row: row["message_offset"]) for table, rows in tables.items()}


def test_arrow_trims_exactly_what_python_strips() -> None:
    """The batch check strips text with Arrow; validation.py with str.strip(): the same characters, all of them."""
    characters = [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code < 0xE000]
    texts = pa.array([f"x{character}" for character in characters])
    trimmed = pc.not_equal(pc.utf8_trim_whitespace(texts), texts).to_pylist()
    assert [c for c, was_trimmed in zip(characters, trimmed, strict=True) if was_trimmed] == [
        c for c in characters if c.isspace()
    ]


def test_a_batch_mixing_good_and_bad_messages_keeps_both_with_their_reasons() -> None:
    payloads = [
        _document({}),
        _document({"TransactionNo": "C581484", "Quantity": -3, "CustomerNo": None}),
        _document({"ProductName": "  Crates  ", "Date": "2019-12-09T10:03:00+01:00", "Loyalty": "gold"}),
        _document({"Price": 10.655}),
        _document({"Quantity": "3"}),
        _document({"Country": ...}),
        b"\xff\xfe",
        b"[1, 2]",
    ]
    messages = [_message(offset, payload) for offset, payload in enumerate(payloads)]
    tables = _rows(batch_tables(messages))
    assert tables == _one_by_one(messages)
    assert [row["message_offset"] for row in tables[TRANSACTIONS_TABLE]] == [0, 1, 2]
    assert [row["reason"] for row in tables[REJECTED_TABLE]] == [
        "invalid_price",
        "wrong_type",
        "missing_field",
        "not_utf8",
        "not_an_object",
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_message_of_a_batch_is_decided_as_validation_decides_it_alone(seed: int) -> None:
    rng = random.Random(seed)
    payloads = [_document({name: value}) for name, values in VARIANTS.items() for value in values]
    for _ in range(2000):
        payloads.append(
            _document({name: rng.choice(values) for name, values in VARIANTS.items() if rng.random() < 0.3})
        )
    payloads += NOT_DOCUMENTS
    rng.shuffle(payloads)
    messages = [_message(offset, payload) for offset, payload in enumerate(payloads)]
    assert _rows(batch_tables(messages)) == _one_by_one(messages)


def test_the_batch_check_accepts_the_usual_shapes_itself() -> None:
    """What the batch check leaves to validation.py is the unusual, not the common: these rows never go one by one."""
    usual = [
        {},
        {"Date": "2019-12-09 10:03:00"},
        {"Date": "2019-12-09T10:03:00.123Z"},
        {"Date": "2019-12-09T10:03:00-05:00", "CustomerNo": "17490"},
        {"ProductName": " Crates ", "CustomerNo": None, "Loyalty": "gold"},
        {"TransactionNo": "C581484", "Quantity": -1, "Price": 0},
    ]
    accepted, columns = accepted_rows([decoded(_document(changes)) for changes in usual])
    assert accepted.to_pylist() == [True] * len(usual)
    assert columns["transacted_at"][3].as_py() == datetime(2019, 12, 9, 15, 3, tzinfo=UTC)
    assert columns["product_name"][4].as_py() == "Crates"


def test_tables_are_handed_on_in_chunks_of_many_rows_in_order() -> None:
    batches = [{"a": pa.table({"n": [i, i + 1]}), "b": pa.table({"n": [i]})} for i in range(0, 10, 2)]
    chunks = [(name, table["n"].to_pylist()) for name, table in in_chunks(batches, rows=4)]
    assert chunks == [("a", [0, 1, 2, 3]), ("a", [4, 5, 6, 7]), ("b", [0, 2, 4, 6]), ("a", [8, 9]), ("b", [8])]
