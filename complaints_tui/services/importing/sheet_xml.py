"""A worksheet's values read straight from its XML, a row at a time.

openpyxl's read-only reader builds a dict and a cell object per cell (and even the
standard library's XML parser an element and two events per tag): the 3.4 million cells
of a 100,000-row export took two minutes. The cells Excel, LibreOffice and openpyxl write
are of a few plain forms (a value, an inline or shared string, a style for dates), so
each row's cells are matched by one regular expression, in C, and given as openpyxl gives
them with ``values_only=True``. A row with any other form of cell (a formula, rich text)
is parsed by the XML parser; a sheet whose tags carry a prefix is left to openpyxl.
openpyxl still reads the workbook around the sheet: its names, shared strings, styles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from html import unescape
from typing import Any
from xml.etree.ElementTree import ParseError, fromstring

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS = "{" + MAIN + "}"
_ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="([a-zA-Z]+)")?(?: s="(\d+)")?\s*'
    rb'(?:/>|>(?:<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
)
_PREFIXED_ATTRIBUTE = re.compile(rb'\s[\w.-]+:[\w.-]+="[^"]*"')
_CHUNK = 1 << 20


def fast_rows(worksheet: Any) -> Iterator[tuple[int, list[Any]]] | None:
    """The sheet's rows as (row number, values); None if openpyxl should read them."""
    try:
        book = worksheet.parent
        archive = book._archive
        member = worksheet._worksheet_path
        strings = worksheet._shared_strings
        dates = frozenset(book._date_formats) - frozenset(book._timedelta_formats)
        epoch = book.epoch
        with archive.open(member) as handle:
            head = handle.read(4096)
    except (AttributeError, KeyError, OSError, TypeError):
        return None
    if f'xmlns="{MAIN}"'.encode() not in head:
        return None  # tags with a prefix (<x:row>), or not the usual namespace
    return _rows(archive, member, _Cells(strings, dates, epoch))


def _rows(archive: Any, member: str, cells: _Cells) -> Iterator[tuple[int, list[Any]]]:
    number = 0
    tail = b""
    with archive.open(member) as handle:
        while True:
            chunk = handle.read(_CHUNK)
            data = tail + chunk
            end = data.rfind(b"</row>") + 6 if chunk else len(data)
            if end < 6:
                tail = data  # no row ends in this chunk yet
                continue
            for match in _ROW.finditer(data, 0, end):
                given = _ROW_NUMBER.search(match.group(1))
                number = int(given.group(1)) if given else number + 1
                yield number, cells.row(match.group(2) or b"")
            tail = data[end:]
            if not chunk:
                return


class _Cells:
    def __init__(self, strings: Any, dates: frozenset[int], epoch: datetime) -> None:
        self.strings, self.dates, self.epoch = strings, dates, epoch
        self.columns: dict[bytes, int] = {}

    def column(self, letters: bytes) -> int:
        at = self.columns.get(letters)
        if at is None:
            at = 0
            for ch in letters:
                at = at * 26 + ch - 64
            at = self.columns[letters] = at - 1
        return at

    def row(self, body: bytes) -> list[Any]:
        found = _CELL.findall(body)
        if len(found) != body.count(b"<c ") + body.count(b"<c>"):
            return self.parsed(body)
        values: list[Any] = []
        column = self.column
        for letters, style, kind, style_after, value, inline in found:
            at = column(letters)
            if at > len(values):
                values.extend([None] * (at - len(values)))
            if kind == b"inlineStr":
                values.append(_text(inline) if inline else None)  # as openpyxl: None
            elif not value:
                values.append(None)
            else:
                values.append(self.value(kind, value.decode(), style or style_after))
        return values

    def value(self, kind: bytes, text: str, style: bytes) -> Any:
        if kind in (b"", b"n"):
            number: Any = float(text) if "." in text or "E" in text or "e" in text else int(text)
            if style and int(style) in self.dates:
                from openpyxl.utils.datetime import from_excel

                try:
                    return from_excel(number, self.epoch)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == b"s":
            return self.strings[int(text)]
        if kind == b"b":
            return bool(int(text))
        if kind == b"d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(text)
        return _text(text.encode())  # "str" (a formula's text), "e" (an error: #N/A)

    def parsed(self, body: bytes) -> list[Any]:
        """A row with cells of other forms, read by the XML parser."""
        try:
            row = fromstring(b'<row xmlns="' + MAIN.encode() + b'">' + body + b"</row>")
        except ParseError:  # an attribute with a prefix declared on the sheet
            body = _PREFIXED_ATTRIBUTE.sub(b"", body)
            row = fromstring(b'<row xmlns="' + MAIN.encode() + b'">' + body + b"</row>")
        values: list[Any] = []
        for cell in row.iter(_NS + "c"):
            where = cell.get("r")
            if where:
                at = self.column(where.rstrip("0123456789").encode())
                if at > len(values):
                    values.extend([None] * (at - len(values)))
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                inline = cell.find(_NS + "is")
                values.append(
                    None
                    if inline is None
                    else "".join(
                        t.text or ""
                        for part in inline
                        if part.tag != _NS + "rPh"
                        for t in part.iter(_NS + "t")
                    )
                )
                continue
            text = cell.findtext(_NS + "v")
            if not text:
                values.append(None)
            elif kind == "n":
                values.append(self.value(b"n", text, (cell.get("s") or "").encode()))
            elif kind in ("str", "e"):
                values.append(text)
            else:
                values.append(self.value(kind.encode(), text, b""))
        return values


def _text(raw: bytes) -> str:
    """An XML text's characters: line ends as an XML parser gives them, entities undone."""
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    text = raw.decode()
    if "&" in text:
        text = unescape(text)
    return text
