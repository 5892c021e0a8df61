"""Writing the export's workbook: the sheet's XML streamed straight into the .xlsx file.

openpyxl's write-only mode made a cell object, a style lookup and an XML element per
cell: 65 s of CPU for a 100,000-stage export, 27x reading and writing the same rows as
CSV. A workbook is a zip of a few XML files, and an export's is always the same: one
sheet, one bold header, date cells in the UK format, text and whole numbers. So the
package's small parts are fixed text here, and the sheet is written a row at a time.

What an officer gets is unchanged: dates as date cells shown DD/MM/YYYY, a frozen bold
header with an autofilter, set column widths, and text that a spreadsheet never runs as a
formula. An empty value is no cell at all (an export's rows are half empty), and text is
written in the cell itself (an inline string), so memory does not grow with the file, as
a table of shared strings would.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

from .files import atomic_write
from .importing.cells import FORMULA_START as _FORMULA_START

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell formats (the s="N" of a cell), in styles.xml's order.
_BOLD, _DATE, _QUOTED = 1, 2, 3

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


class SheetWriter:
    """Writes rows of values into the sheet's XML; ``row`` for each, in order."""

    def __init__(self, handle: IO[bytes], columns: int) -> None:
        self.handle = handle
        self.letters = [column_letter(i) for i in range(columns)]
        self.number = 0
        self.serials: dict[date, str] = {}
        self.pending: list[str] = []

    def row(self, values: Sequence[Any], style: int = 0) -> None:
        self.number += 1
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
                day = value if kind is date else value.date()
                text = serials.get(day)
                if text is None:
                    text = serials[day] = str(serial(day))
                add(f'<c r="{letters}{number}" s="{_DATE}"><v>{text}</v></c>')
            else:  # a float, or anything else as its text
                add(f'<c r="{letters}{number}"{plain}><v>{value}</v></c>')
        add("</row>")
        pending = self.pending
        pending.append("".join(parts))
        if len(pending) >= 500:
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
        zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as book,
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
            writer = SheetWriter(sheet, len(header))
            writer.row(header, _BOLD)
            written = 0
            for values in rows:
                writer.row(values)
                written += 1
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
