"""A worksheet's values read straight from its XML, a row at a time.

openpyxl's read-only reader builds a dict and a cell object per cell (and even the
standard library's XML parser an element and two events per tag): the 3.4 million cells
of a 100,000-row export took two minutes. The cells Excel, LibreOffice and openpyxl write
are of a few plain forms (a value, an inline or shared string, a style for dates), so
each row's cells are matched by one regular expression, in C, and given as openpyxl gives
them with ``values_only=True``. A row with any other form of cell (a formula, rich text)
is parsed by the XML parser; a sheet whose tags carry a prefix is left to openpyxl.
openpyxl still reads the workbook around the sheet: its names, shared strings, styles.
A large sheet is read by the same code in a process of its own (``sheet_apart``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from html import unescape
from operator import itemgetter
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
# A row's text nodes (its cells' values: text never holds a bare "<") and, between them,
# its markup: the split gives both in one pass, in C.
_TEXT = re.compile(r">([^<]++)<")


def fast_rows(worksheet: Any) -> Iterator[tuple[int, list[Any]]] | None:
    """The sheet's rows as (row number, values); None if openpyxl should read them. A
    large sheet's are read by a child process (``sheet_apart``), a small one's here."""
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
    from .sheet_apart import rows_apart

    size = archive.getinfo(member).file_size
    apart = rows_apart(getattr(archive, "filename", None), member, strings, dates, epoch, size)
    return apart or _rows(archive, member, _Cells(strings, dates, epoch))


def _rows(archive: Any, member: str, cells: _Cells) -> Iterator[tuple[int, list[Any]]]:
    number = 0
    shapes = _Shapes(cells)
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
            text = data[:end].decode()
            pieces = text.split("</row>")
            # The shapes' keys mark places with \x00 and \x01, which a sheet never holds
            # (XML allows neither); a chunk that does is read cell by cell.
            shaped = shapes.on and "\x00" not in text and "\x01" not in text
            last = len(pieces) - 1
            for at, piece in enumerate(pieces):
                if shaped and at != last and piece.startswith('<row r="'):
                    close = piece.find(">")
                    quote = piece.find('"', 8)
                    digits = piece[8:quote]
                    if 8 < quote < close and digits.isdecimal():
                        # ' r="12"' first: the number _ROW_NUMBER finds, read directly
                        values = shapes.read(piece[close + 1 :], digits)
                        if values is not None:
                            number = int(digits)
                            yield number, values
                            continue
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


# How a value of a learnt form is read (as _Cells.row reads a cell of that form).
_SHARED, _NUMBER, _DATE, _OTHER = range(4)


class _Shape:
    """A learnt form of row: where each of its values goes, and how each is read."""

    __slots__ = ("pick", "inline", "reads")

    def __init__(
        self, pick: itemgetter | None, inline: list[int], reads: list[tuple[int, int, str, str]]
    ) -> None:
        self.pick = pick
        """The row's places from its values (and a None after them); None: one for one."""
        self.inline = inline
        """The places of inline strings (read as they are unless an entity or a \r)."""
        self.reads = reads
        """(place, how, type, style) of every other value, in the order of the cells."""


class _Shapes:
    """Rows read by the form of a row read before.

    An export's rows are of about a hundred forms (which cells are there, their types and
    styles) however many rows there are. A row is split into its values and its markup in
    one pass in C; the markup, with \x01 for the row's number, is the key of its form,
    learnt from the first row of that form, read cell by cell. A key equal to a learnt one
    is the very same markup around the values, so each value is read as _Cells.row would
    read it, without matching each cell's pattern again.
    """

    LIMIT = 4096
    """Forms kept at most (a form's key is its markup, a kilobyte or so)."""

    def __init__(self, cells: _Cells) -> None:
        self.cells = cells
        self.known: dict[str, _Shape] = {}
        self.on = True
        self.tried = self.hits = 0

    def read(self, body: str, digits: str) -> list[Any] | None:
        """The values of the row ``<row r="digits">body``, if its form is known; else
        None (and its form learnt)."""
        parts = _TEXT.split(body)
        shape = self.known.get("\x00".join(parts[0::2]).replace(digits, "\x01"))
        self.tried += 1
        if shape is None:
            if self.tried > 2000 and self.hits * 4 < self.tried:
                self.on = False  # rows of too many forms: each learnt for few others
            elif len(self.known) < self.LIMIT:
                self.learn(body)
            return None
        self.hits += 1
        values: list[Any] = parts[1::2]
        if shape.pick is not None:
            values.append(None)
            values = list(shape.pick(values))
        if "&" in body or "\r" in body:
            for at in shape.inline:
                values[at] = _text(values[at])
        cells = self.cells
        for at, how, kind, style in shape.reads:
            value = values[at]
            if how == _NUMBER:
                values[at] = (
                    float(value) if "." in value or "E" in value or "e" in value else int(value)
                )
            elif how == _DATE:
                day = cells.days.get(value)
                if day is None:
                    day = cells.value(kind, value, style)
                    if len(cells.days) < 100_000:
                        cells.days[value] = day
                values[at] = day
            elif how == _SHARED:
                values[at] = cells.strings[int(value)]
            else:
                values[at] = cells.value(kind, value, style)
        return values

    def learn(self, body: str) -> None:
        """Keep the form of this row if each of its texts is a cell's value."""
        cells = self.cells
        found = list(_CELL.finditer(body))
        if len(found) < 2 or len(found) != body.count("<c ") + body.count("<c>"):
            return  # another form of cell in it (read by the XML parser), or one cell
        texts = len(_TEXT.findall(body))
        marked: list[str] = []  # the body, each cell's row number as \x01
        place: list[int | None] = []
        inline: list[int] = []
        reads: list[tuple[int, int, str, str]] = []
        done = 0
        for m in found:
            letters, style, kind, style_after, _, _ = m.groups("")
            # the number in the cell's reference, which _Cells.row does not read
            marked += (body[done : m.end(1)], "\x01")
            done = body.index('"', m.end(1))
            at = cells.column(letters)
            if at > len(place):
                place.extend([None] * (at - len(place)))
            used = 6 if kind == "inlineStr" else 5
            if not m.group(used):
                place.append(None)  # no value: None, as _Cells.row gives
                continue
            given = len(reads) + len(inline)  # this value's order among the row's texts
            style = style or style_after
            if kind == "inlineStr":
                inline.append(len(place))
            elif kind == "s":
                reads.append((len(place), _SHARED, kind, style))
            elif kind == "" and not style:
                reads.append((len(place), _NUMBER, kind, style))
            elif kind == "" and style in cells.date_styles:
                reads.append((len(place), _DATE, kind, style))
            else:
                reads.append((len(place), _OTHER, kind, style))
            place.append(given)
        # Each value is one of the row's texts: as many values as texts, they are the
        # texts, in order (whitespace between cells would be more texts).
        if len(reads) + len(inline) != texts:
            return
        marked.append(body[done:])
        key = "\x00".join(_TEXT.split("".join(marked))[0::2])
        none = texts
        indexes = [none if i is None else i for i in place]
        pick = None if indexes == list(range(none)) else itemgetter(*indexes)
        self.known.setdefault(key, _Shape(pick, inline, reads))


def _text(raw: str) -> str:
    """An XML text's characters: line ends as an XML parser gives them, entities undone."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in raw:
        raw = unescape(raw)
    return raw
