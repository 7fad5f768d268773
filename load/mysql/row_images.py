"""The row images of a binlog rows event, decoded a column reader at a time instead of by python-mysql-replication.

The library decodes each value through a chain of attribute look-ups and type tests (most of a CDC run's time
after a busy day). Here each table's columns get a reader chosen once per table shape, and a row is decoded by
calling them in turn on the event's bytes. Values are the library's own, type for type (its quirks included: a
DECIMAL keeps its declared scale, a zero DATE is None, a YEAR of 0 is 1900). An event with a column type not
handled here, a partial row image (binlog_row_image other than FULL) or a column without its name takes the
library's decoder, as before.
"""

from __future__ import annotations

import codecs
import datetime
import struct
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pymysqlreplication.constants import BINLOG, FIELD_TYPE
from pymysqlreplication.row_event import DeleteRowsEvent, RowsEvent, UpdateRowsEvent, WriteRowsEvent

Image = dict[str, Any]
# One row image's before and after: (None, values) for an insert, (values, None) for a delete.
ImagePair = tuple[Image | None, Image | None]
# (event bytes, offset) -> (value, offset after it)
Reader = Callable[[bytes, int], tuple[Any, int]]

_INTEGER_CODES = {FIELD_TYPE.TINY: "b", FIELD_TYPE.SHORT: "h", FIELD_TYPE.LONG: "i", FIELD_TYPE.LONGLONG: "q"}
_FLOAT_CODES = {FIELD_TYPE.FLOAT: "f", FIELD_TYPE.DOUBLE: "d"}
# (type, unsigned) -> struct format (little-endian; upper case codes are unsigned)
_FIXED_FORMATS: dict[tuple[int, bool], str] = {
    **{
        (kind, unsigned): "<" + (code.upper() if unsigned else code)
        for kind, code in _INTEGER_CODES.items()
        for unsigned in (False, True)
    },
    **{(kind, unsigned): "<" + code for kind, code in _FLOAT_CODES.items() for unsigned in (False, True)},
}
_DECIMAL_DIGITS = 9  # per 4-byte group
_DECIMAL_BYTES = (0, 1, 1, 2, 2, 3, 3, 4, 4, 4)  # bytes of a leftover group of n digits
_ROW_EVENT_TYPES = (WriteRowsEvent, UpdateRowsEvent, DeleteRowsEvent)
_readers_by_shape: dict[tuple[Any, ...], list[Reader] | None] = {}


def row_images(event: RowsEvent) -> list[ImagePair]:
    """Every row of the event as (before, after) images, column name -> value."""
    table = event.table_map[event.table_id]
    readers = _readers(table.columns, event._ignore_decode_errors)
    bitmaps = _present_bitmaps(event)
    if readers is None or bitmaps is None or not event.complete or not all(c.name for c in table.columns):
        return _library_images(event)
    names = [column.name for column in table.columns]
    data = event.packet.read(event.event_size - event.packet.read_bytes)
    images = _decode(data, names, readers, 2 if isinstance(event, UpdateRowsEvent) else 1)
    if isinstance(event, WriteRowsEvent):
        return [(None, image) for image in images]
    if isinstance(event, DeleteRowsEvent):
        return [(image, None) for image in images]
    return list(zip(images[0::2], images[1::2], strict=True))


def _library_images(event: RowsEvent) -> list[ImagePair]:
    if isinstance(event, WriteRowsEvent):
        return [(None, row["values"]) for row in event.rows]
    if isinstance(event, DeleteRowsEvent):
        return [(row["values"], None) for row in event.rows]
    return [(row["before_values"], row["after_values"]) for row in event.rows]


def _present_bitmaps(event: RowsEvent) -> list[bytes] | None:
    """The event's columns-present bitmaps when every column is present (a FULL row image), else None."""
    if not isinstance(event, _ROW_EVENT_TYPES) or event.event_type == BINLOG.PARTIAL_UPDATE_ROWS_EVENT:
        return None
    bitmaps = [event.columns_present_bitmap]
    if isinstance(event, UpdateRowsEvent):
        bitmaps.append(event.columns_present_bitmap2)
    count = len(event.table_map[event.table_id].columns)
    if count != event.number_of_columns:
        return None
    for bitmap in bitmaps:
        if any(not bitmap[i >> 3] & (1 << (i & 7)) for i in range(count)):
            return None
    return bitmaps


def _decode(data: bytes, names: list[str], readers: list[Reader], images_per_row: int) -> list[Image]:
    """Consecutive row images: each a null bitmap (one bit per column), then the values that are not NULL."""
    count = len(readers)
    null_bytes = (count + 7) >> 3
    columns = list(enumerate(readers))
    images: list[Image] = []
    pos, end = 0, len(data)
    while pos < end:
        nulls = int.from_bytes(data[pos : pos + null_bytes], "little")
        pos += null_bytes
        values: list[Any] = [None] * count
        for index, read in columns:
            if not nulls or not nulls >> index & 1:
                values[index], pos = read(data, pos)
        images.append(dict(zip(names, values, strict=True)))
    if pos != end or len(images) % images_per_row:
        raise ValueError(f"a binlog rows event did not decode to whole rows ({pos} of {end} bytes)")
    return images


def _readers(columns: list[Any], ignore_decode_errors: bool) -> list[Reader] | None:
    """A reader per column, or None when a column's type is not handled here (cached per table shape)."""
    shape = (ignore_decode_errors, *(_column_shape(column) for column in columns))
    if shape not in _readers_by_shape:
        readers = [_reader(column, ignore_decode_errors) for column in columns]
        _readers_by_shape[shape] = None if any(r is None for r in readers) else readers  # type: ignore[misc]
    return _readers_by_shape[shape]


_SHAPE_ATTRIBUTES = ("type", "unsigned", "max_length", "length_size", "precision", "decimals", "fsp")


def _column_shape(column: Any) -> tuple[Any, ...]:
    return (*(getattr(column, attribute, None) for attribute in _SHAPE_ATTRIBUTES), column.character_set_name)


def _reader(column: Any, ignore_decode_errors: bool) -> Reader | None:
    kind = column.type
    fixed = _FIXED_FORMATS.get((kind, bool(column.unsigned)))
    if fixed is not None:
        return _fixed_reader(struct.Struct(fixed))
    if kind == FIELD_TYPE.INT24:
        return _read_uint24 if column.unsigned else _read_int24
    if kind in (FIELD_TYPE.VARCHAR, FIELD_TYPE.STRING):
        return _text_reader(2 if column.max_length > 255 else 1, column, ignore_decode_errors)
    if kind == FIELD_TYPE.BLOB:
        return _text_reader(column.length_size, column, ignore_decode_errors)
    if kind == FIELD_TYPE.NEWDECIMAL:
        return _decimal_reader(column.precision, column.decimals)
    if kind == FIELD_TYPE.DATE:
        return _read_date
    if kind == FIELD_TYPE.DATETIME2:
        return _datetime_reader(column.fsp)
    if kind == FIELD_TYPE.TIMESTAMP2:
        return _timestamp_reader(column.fsp)
    if kind == FIELD_TYPE.YEAR:
        return _read_year
    return None


def _fixed_reader(layout: struct.Struct) -> Reader:
    unpack, size = layout.unpack_from, layout.size

    def read(data: bytes, pos: int) -> tuple[Any, int]:
        return unpack(data, pos)[0], pos + size

    return read


def _read_uint24(data: bytes, pos: int) -> tuple[int, int]:
    return int.from_bytes(data[pos : pos + 3], "little"), pos + 3


def _read_int24(data: bytes, pos: int) -> tuple[int, int]:
    return int.from_bytes(data[pos : pos + 3], "little", signed=True), pos + 3


def _read_year(data: bytes, pos: int) -> tuple[int, int]:
    return data[pos] + 1900, pos + 1


def _text_reader(length_bytes: int, column: Any, ignore_decode_errors: bool) -> Reader | None:
    """Length-prefixed text, decoded with the column's character set; bytes when Python has no such codec."""
    if length_bytes not in (1, 2, 3, 4):
        return None
    errors = "ignore" if ignore_decode_errors else "strict"
    encoding = "utf-8"
    if column.character_set_name is not None:
        encoding = RowsEvent.charset_to_encoding(column.character_set_name)
        try:
            codecs.lookup(encoding)
        except LookupError:
            encoding = ""  # the library keeps such values as bytes (but an empty one as "": Python's decode)

    def read(data: bytes, pos: int) -> tuple[Any, int]:
        start = pos + length_bytes
        stop = start + int.from_bytes(data[pos:start], "little")
        raw = data[start:stop]
        return (raw.decode(encoding, errors) if encoding else raw or ""), stop

    return read


def _decimal_reader(precision: int, scale: int) -> Reader:
    """MySQL's packed DECIMAL: groups of 9 digits in 4 bytes, big-endian, the leftover digits of each side in
    fewer bytes; the sign is the first bit (set for positive), and negative numbers have every bit inverted.
    Read as one integer, then cut into its groups; the text is the library's (the integral part's leading group
    unpadded, every other group zero-padded), so a value keeps its declared scale."""
    whole_integral, leftover_integral = divmod(precision - scale, _DECIMAL_DIGITS)
    whole_fraction, leftover_fraction = divmod(scale, _DECIMAL_DIGITS)
    head, tail = _DECIMAL_BYTES[leftover_integral], _DECIMAL_BYTES[leftover_fraction]
    # (bytes, digits) of each group after the leading one, from the left
    groups = [
        *[(4, _DECIMAL_DIGITS)] * (whole_integral + whole_fraction),
        *([(tail, leftover_fraction)] if tail else []),
    ]
    size = head + sum(width for width, _ in groups)
    sign_bit, all_bits = 1 << (8 * size - 1), (1 << (8 * size)) - 1
    shifts = [8 * sum(width for width, _ in groups[index + 1 :]) for index in range(len(groups))]
    cuts = [(shift, (1 << (8 * width)) - 1, digits) for shift, (width, digits) in zip(shifts, groups, strict=True)]
    point = whole_integral  # the decimal point comes after this many groups
    head_shift = 8 * (size - head)

    def read(data: bytes, pos: int) -> tuple[Decimal, int]:
        packed = int.from_bytes(data[pos : pos + size], "big")
        negative = not packed & sign_bit
        magnitude = (packed ^ all_bits if negative else packed) & (all_bits ^ sign_bit)
        parts = ["-" if negative else ""]
        if head:
            parts.append(str(magnitude >> head_shift))
        for index, (shift, mask, digits) in enumerate(cuts):
            if index == point:
                parts.append(".")
            parts.append(f"{(magnitude >> shift) & mask:0{digits}d}")
        if point == len(cuts):
            parts.append(".")
        return Decimal("".join(parts)), pos + size

    return read


def _read_date(data: bytes, pos: int) -> tuple[datetime.date | None, int]:
    packed = int.from_bytes(data[pos : pos + 3], "little")
    year, month, day = packed >> 9, (packed >> 5) & 0xF, packed & 0x1F
    if not (year and month and day):
        return None, pos + 3  # MySQL's zero dates
    return datetime.date(year, month, day), pos + 3


def _fraction_reader(fsp: int) -> tuple[int, Callable[[bytes, int], int]]:
    """Bytes of a fractional-seconds part of `fsp` digits, and its reader (microseconds)."""
    size = (fsp + 1) // 2
    scale = 10 ** (6 - fsp) if fsp else 0

    def microseconds(data: bytes, pos: int) -> int:
        value = int.from_bytes(data[pos : pos + size], "big", signed=True)
        if fsp % 2:
            value = int(value / 10)
        return value * scale

    return size, microseconds


def _datetime_reader(fsp: int) -> Reader:
    fraction_size, microseconds = _fraction_reader(fsp)

    def read(data: bytes, pos: int) -> tuple[datetime.datetime | None, int]:
        packed = int.from_bytes(data[pos : pos + 5], "big")
        year_month = (packed >> 22) & 0x1FFFF
        stop = pos + 5 + fraction_size
        try:
            value = datetime.datetime(
                year_month // 13,
                year_month % 13,
                (packed >> 17) & 0x1F,
                (packed >> 12) & 0x1F,
                (packed >> 6) & 0x3F,
                packed & 0x3F,
            )
        except ValueError:
            return None, stop  # MySQL's zero dates
        micro = microseconds(data, pos + 5) if fraction_size else 0
        return (value.replace(microsecond=micro) if micro > 0 else value), stop

    return read


def _timestamp_reader(fsp: int) -> Reader:
    fraction_size, microseconds = _fraction_reader(fsp)

    def read(data: bytes, pos: int) -> tuple[datetime.datetime, int]:
        seconds = int.from_bytes(data[pos : pos + 4], "big", signed=True)
        value = datetime.datetime.fromtimestamp(seconds, datetime.UTC).replace(tzinfo=None)
        micro = microseconds(data, pos + 4) if fraction_size else 0
        return (value.replace(microsecond=micro) if micro > 0 else value), pos + 4 + fraction_size

    return read
