"""Writing the export's workbook: the sheet's XML streamed straight into the .xlsx file.

openpyxl's write-only mode made a cell object, a style lookup and an XML element per
cell: 65 s of CPU for a 100,000-stage export, 27x reading and writing the same rows as
CSV. A workbook is a zip of a few XML files, and an export's is always the same: one
sheet, one bold header, date cells in the UK format, text and whole numbers. So the
package's small parts are fixed text here, and the sheet is written a row at a time.
Even cell by cell, Python's work per cell was most of the export: an export's rows have
about a hundred shapes (which values are text, a number, a date, or empty), so each shape
is one template, and a row's texts are looked at together (``SheetWriter.rows``).

What an officer gets is unchanged: dates as date cells shown DD/MM/YYYY, a frozen bold
header with an autofilter, set column widths, and text that a spreadsheet never runs as a
formula. An empty value is no cell at all (an export's rows are half empty), and text is
written in the cell itself (an inline string), so memory does not grow with the file, as
a table of shared strings would.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol

from .files import atomic_write, written_behind
from .importing.cells import FORMULA_START as _FORMULA_START

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell formats (the s="N" of a cell), in styles.xml's order.
_BOLD, _DATE, _QUOTED = 1, 2, 3
COMPRESSION = 4
"""zlib's level for the sheet. Of a 100,000-stage export's 126 MB of sheet XML, level 6
(zlib's default, what the export wrote before) made 11.9 MB in 0.89 s of CPU; level 5,
12.1 MB in 0.69 s; level 4, 13.6 MB in 0.51 s; level 1, 15.8 MB in 0.33 s. An officer
waits for every byte compressed and stores or sends the file: 4 takes two fifths off the
compression for a file an eighth bigger (zlib's levels 4 and up look for longer matches;
1 to 3 are a quicker kind of search, whose files grow fast)."""
_BLOCK = 2000
"""Rows of XML held before they are written (and compressed) as one block."""

_STYLES = (
    f'{_XML}<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_CONTENT_TYPES = (
    f"{_XML}"
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{PACKAGE}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_APP = (
    f"{_XML}<Properties "
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>complaints-tui</Application></Properties>"
)
_BOOK_RELS = (
    f'{_XML}<Relationships xmlns="{PACKAGE}">'
    f'<Relationship Id="rId1" Type="{RELATIONS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)

_EXCEL_EPOCH = date(1899, 12, 30)
_SPECIAL = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold at all, even escaped: a workbook cannot keep them."""


def column_letter(index: int) -> str:
    """The letters of the column at ``index`` (0: A)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def serial(day: date) -> int:
    """A date as Excel's day number (the 1900 system, with its leap day that never was)."""
    days = (day - _EXCEL_EPOCH).days
    return days - 1 if 0 < days <= 60 else days


def _escaped(text: str) -> str:
    if _SPECIAL.search(text) is None:
        return text
    text = _NOT_XML.sub("", text)
    # A carriage return is kept as a character reference: written as it is, an XML reader
    # would turn it into a line feed.
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


class _Serials(dict[date, str]):
    """Each day's serial as text, worked out the first time the day is written: an
    export's dates are a few thousand days."""

    def __missing__(self, day: date) -> str:
        text = self[day] = str(serial(day if type(day) is date else day.date()))  # type: ignore[attr-defined]
        return text


_FAST_TYPES = frozenset({str, int, float, date, datetime, type(None)})
"""The types of value a row's shape can write by one template (a bool is written as 1 or
0, and anything else by the per-cell code)."""
_UNUSUAL = re.compile(r"[\r\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""A character only the per-cell code writes: a carriage return, or one XML cannot hold."""
_UNUSUAL_ENDS = re.compile(r"\x00(?:(?<=\s\x00)|[\s=+\-@])")
"""In a row's texts joined by NULs (and one at each end): a text that starts with a space
or a formula's first character, or ends with a space, which only the per-cell code writes
(a search from NUL to NUL: three times quicker than looking at every character)."""
_SHAPES_KEPT = 4096
"""At most this many rows' shapes are remembered (an export's rows have about a hundred)."""


def _getter(at: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """The values at ``at`` of a row, always as a tuple (itemgetter gives one alone)."""
    if len(at) > 1:
        return itemgetter(*at)
    if at:
        only = at[0]
        return lambda values: (values[only],)
    return lambda values: ()


class _Shape:
    """How a row whose values have these types (and these empty texts) is written: one
    template for the whole row (its number put in after), its cells' values in order."""

    def __init__(self, letters: Sequence[str], key: tuple[Any, ...]) -> None:
        width = len(key) // 2
        cells: list[str] = []
        written: list[int] = []
        texts: list[int] = []
        days: list[int] = []
        for at, (kind, filled) in enumerate(zip(key[:width], key[width:], strict=True)):
            where = f'<c r="{letters[at]}\x01"'
            if kind is str and filled:
                texts.append(len(written))
                cells.append(f'{where} t="inlineStr"><is><t>%s</t></is></c>')
            elif kind is date or kind is datetime:
                days.append(len(written))
                cells.append(f'{where} s="{_DATE}"><v>%s</v></c>')
            elif kind is int or kind is float:
                cells.append(f"{where}><v>%s</v></c>")
            else:
                continue  # None or "": no cell
            written.append(at)
        self.template = '<row r="\x01">' + "".join(cells) + "</row>"
        self.cells = _getter(written)
        self.texts = _getter([written[i] for i in texts])
        self.text_at, self.day_at = texts, days
        self.separators = max(len(texts) - 1, 0)


_UNSEEN = object()


class Sink(Protocol):
    """Where the sheet's XML goes: the zip's stream, or a thread writing it (``files``)."""

    def write(self, block: bytes, /) -> object: ...


class SheetWriter:
    """Writes rows of values into the sheet's XML; ``row`` for each, in order."""

    def __init__(self, handle: Sink, columns: int) -> None:
        self.handle = handle
        self.letters = [column_letter(i) for i in range(columns)]
        self.number = 0
        self.serials = _Serials()
        self.shapes: dict[tuple[Any, ...], _Shape | None] = {}
        self.pending: list[str] = []

    def row(self, values: Sequence[Any], style: int = 0) -> None:
        """Write one row, cell by cell (the header, with its ``style``)."""
        self.number += 1
        self.cells(values, style)

    def rows(self, rows: Iterable[Sequence[Any]]) -> int:
        """Write ``rows`` in order; returns how many. Most are written by their shape's
        template (the types of their values, which texts are empty), each row's texts
        looked at once, joined; any other cell by cell."""
        shapes, serials, pending = self.shapes, self.serials, self.pending
        width = len(self.letters)
        number = start = self.number
        for values in rows:
            number += 1
            shape: Any = None
            if len(values) <= width:
                key = (*map(type, values), *map(bool, values))
                shape = shapes.get(key, _UNSEEN)
                if shape is _UNSEEN:
                    shape = self._shape(key)
            if shape is not None:
                joined = "\x00".join(shape.texts(values))
                if (
                    joined.count("\x00") == shape.separators
                    and not _UNUSUAL.search(joined)
                    and not _UNUSUAL_ENDS.search(f"\x00{joined}\x00")
                ):
                    cells = list(shape.cells(values))
                    for at in shape.day_at:
                        cells[at] = serials[cells[at]]
                    if "&" in joined or "<" in joined or ">" in joined:
                        joined = joined.replace("&", "&amp;").replace("<", "&lt;")
                        escaped = joined.replace(">", "&gt;").split("\x00")
                        for at, text in zip(shape.text_at, escaped, strict=True):
                            cells[at] = text
                    pending.append((shape.template % tuple(cells)).replace("\x01", str(number)))
                    if len(pending) >= _BLOCK:
                        self.flush()
                    continue
            self.number = number
            self.cells(values, 0)
        self.number = number
        return number - start

    def _shape(self, key: tuple[Any, ...]) -> _Shape | None:
        """The shape of rows of this key (None: written cell by cell), remembered."""
        if len(self.shapes) >= _SHAPES_KEPT:
            return None
        fits = _FAST_TYPES.issuperset(key[: len(key) // 2])
        shape = self.shapes[key] = _Shape(self.letters, key) if fits else None
        return shape

    def cells(self, values: Sequence[Any], style: int) -> None:
        """Write one row cell by cell: the header, and any row of unusual values."""
        number = self.number
        parts = [f'<row r="{number}">']
        add = parts.append
        serials = self.serials
        plain = f' s="{style}"' if style else ""
        quoted_style = f' s="{_QUOTED}"'
        for letters, value in zip(self.letters, values, strict=False):
            if value is None or value == "":
                continue  # an empty value is no cell
            kind = type(value)
            if kind is str:
                quoted = value[:1] in _FORMULA_START
                text = _escaped(value)
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
                # An inline string is never run as a formula; the quote prefix keeps a
                # cell that looks like one text when an officer edits it.
                add(
                    f'<c r="{letters}{number}"{quoted_style if quoted else plain}'
                    f' t="inlineStr"><is><t{space}>{text}</t></is></c>'
                )
            elif kind is int:
                add(f'<c r="{letters}{number}"{plain}><v>{value}</v></c>')
            elif kind is bool:
                add(f'<c r="{letters}{number}"{plain} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, date):
                add(f'<c r="{letters}{number}" s="{_DATE}"><v>{serials[value]}</v></c>')
            else:  # a float, or anything else as its text
                add(f'<c r="{letters}{number}"{plain}><v>{value}</v></c>')
        add("</row>")
        pending = self.pending
        pending.append("".join(parts))
        if len(pending) >= _BLOCK:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.handle.write("".join(self.pending).encode())
            self.pending.clear()


def write_workbook(
    path: Path,
    sheet_name: str,
    header: Sequence[str],
    widths: Sequence[float],
    rows: Iterable[Sequence[Any]],
    count: int,
) -> int:
    """Write ``rows`` (``count`` of them, after a bold ``header``) as a one-sheet workbook;
    returns the number of rows written. Through ``atomic_write``: owner-only, and never
    half-written."""
    last = column_letter(len(header) - 1)
    with (
        atomic_write(path, "wb") as handle,
        zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as book,
    ):
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("docProps/app.xml", _APP)
        book.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                for i, w in enumerate(widths, start=1)
            )
            sheet.write(
                (
                    f'{_XML}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONS}">'
                    f'<dimension ref="A1:{last}{count + 1}"/>'
                    '<sheetViews><sheetView workbookViewId="0">'
                    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
                    "</sheetView></sheetViews>"
                    '<sheetFormatPr defaultRowHeight="15"/>'
                    f"<cols>{cols}</cols><sheetData>"
                ).encode()
            )
            with written_behind(sheet) as behind:
                writer = SheetWriter(behind, len(header))
                writer.row(header, _BOLD)
                written = writer.rows(rows)
                writer.flush()
            reference = f"A1:{last}{written + 1}"
            sheet.write(f'</sheetData><autoFilter ref="{reference}"/></worksheet>'.encode())
        name = _escaped(sheet_name).replace('"', "&quot;")
        book.writestr(
            "xl/workbook.xml",
            f'{_XML}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
            "<definedNames>"
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"'{_escaped(sheet_name)}'!$A$1:${last}${written + 1}</definedName>"
            "</definedNames></workbook>",
        )
    return written
