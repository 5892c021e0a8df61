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
# On text: a chunk of the sheet is decoded once (a row never splits a character), rather
# than each cell's bytes on their own.
_ROW = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_ROW_NUMBER = re.compile(r'\br="(\d+)"')
# Possessive (``++``, ``?+``): no part of a cell's form can match another way, so the
# matcher keeps no places to go back to: a fifth less of the reading's matching.
_CELL = re.compile(
    r'<c r="([A-Z]{1,3})\d++"(?: s="(\d++)")?+(?: t="([a-zA-Z]++)")?+(?: s="(\d++)")?+\s*+'
    r'(?:/>|>(?:<v>([^<]*+)</v>|<is><t(?: xml:space="preserve")?+>([^<]*+)</t></is>)?+</c>)'
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
            row = cells.row
            # Each piece before a "</row>" ends with one row's cells (text never holds a
            # bare "<"); the lazy regular expression was the reading's slowest part.
            pieces = data[:end].decode().split("</row>")
            for at, piece in enumerate(pieces):
                opening = piece.rfind("<row")
                if opening < 0:
                    continue  # the end of the sheet's data after the last row
                if piece.count("<row", 0, opening) or at == len(pieces) - 1:
                    # empty rows (<row r="5"/>) before this one, or the last piece
                    # (no "</row>" after it): the regular expression, as before
                    closed = piece if at == len(pieces) - 1 else piece + "</row>"
                    for match in _ROW.finditer(closed):
                        attributes, body = match.groups()
                        given = _ROW_NUMBER.search(attributes)
                        number = int(given.group(1)) if given else number + 1
                        yield number, row(body) if body else []
                    continue
                close = piece.find(">", opening)
                attributes, body = piece[opening + 4 : close], piece[close + 1 :]
                given = _ROW_NUMBER.search(attributes)
                number = int(given.group(1)) if given else number + 1
                yield number, row(body) if body else []
            tail = data[end:]
            if not chunk:
                return


class _Cells:
    def __init__(self, strings: Any, dates: frozenset[int], epoch: datetime) -> None:
        self.strings, self.dates, self.epoch = strings, dates, epoch
        self.columns: dict[str, int] = {}
        self.days: dict[str, Any] = {}
        """Date cells' values by their number: a sheet's dates are a few thousand days."""
        self.date_styles = {str(s) for s in dates}

    def column(self, letters: str) -> int:
        at = self.columns.get(letters)
        if at is None:
            at = 0
            for ch in letters:
                at = at * 26 + ord(ch) - 64
            at = self.columns[letters] = at - 1
        return at

    def row(self, body: str) -> list[Any]:
        found = _CELL.findall(body)
        if len(found) != body.count("<c ") + body.count("<c>"):
            return self.parsed(body.encode())
        values: list[Any] = []
        add = values.append
        columns = self.columns
        date_styles, days = self.date_styles, self.days
        for letters, style, kind, style_after, value, inline in found:
            at = columns.get(letters)
            if at is None:
                at = self.column(letters)
            if at > len(values):
                values.extend([None] * (at - len(values)))
            if kind == "inlineStr":
                if not inline:
                    add(None)  # as openpyxl: None
                elif "&" in inline or "\r" in inline:
                    add(_text(inline))
                else:
                    add(inline)
            elif not value:
                add(None)
            elif kind == "s":
                add(self.strings[int(value)])
            elif kind == "" and not (style or style_after):
                add(float(value) if "." in value or "E" in value or "e" in value else int(value))
            elif kind == "" and (style or style_after) in date_styles:
                day = days.get(value)
                if day is None:
                    day = self.value(kind, value, style or style_after)
                    if len(days) < 100_000:
                        days[value] = day
                add(day)
            else:
                add(self.value(kind, value, style or style_after))
        return values

    def value(self, kind: str, text: str, style: str) -> Any:
        if kind in ("", "n"):
            number: Any = float(text) if "." in text or "E" in text or "e" in text else int(text)
            if style and int(style) in self.dates:
                from openpyxl.utils.datetime import from_excel

                try:
                    return from_excel(number, self.epoch)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(text)
        return _text(text)  # "str" (a formula's text), "e" (an error: #N/A)

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
                at = self.column(where.rstrip("0123456789"))
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
                values.append(self.value("n", text, cell.get("s") or ""))
            elif kind in ("str", "e"):
                values.append(text)
            else:
                values.append(self.value(kind, text, ""))
        return values


def _text(raw: str) -> str:
    """An XML text's characters: line ends as an XML parser gives them, entities undone."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in raw:
        raw = unescape(raw)
    return raw
