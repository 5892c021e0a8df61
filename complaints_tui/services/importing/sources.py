"""Reading a file's rows, CSV or workbook, as the officer's spreadsheet program shows them.

A source gives its rows as (number, cells): the line of a CSV, or the row as Excel numbers
it. CSV cells are text; workbook cells are what openpyxl reads (text, numbers, dates), each
column's reader turning them into our values. A file that cannot be read at all is one
problem saying why, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from .problems import Problem

CELL_LIMIT = 32_767
"""Excel's limit for the characters of one cell: a longer field is not a spreadsheet's."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16's, whose BOM is its first two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


class Unreadable(Exception):
    """The file cannot be read as a spreadsheet; ``problem`` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Source:
    """A file's rows, each as (line or row number, cells), after the ones already read."""

    rows: Iterator[tuple[int, list[Any]]]
    unit: str = "line"
    """What the file calls a row in a problem: "line" (CSV) or "row" (a workbook)."""
    total: int | None = None
    """About how many rows there are, for progress (None: not known)."""
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)


def open_source(path: Path, sheet: str | None = None) -> Source:
    """The rows of ``path``: a workbook (.xlsx, .xlsm) or a CSV; Unreadable if neither."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _workbook(path, sheet)
    if path.suffix.lower() in (".xls", ".ods", ".numbers"):
        raise Unreadable(
            Problem(0, "file", f"{path.suffix} files cannot be read: save it as .xlsx or .csv")
        )
    if sheet is not None:
        raise Unreadable(Problem(0, "file", "--sheet is for workbooks (.xlsx); this is a CSV"))
    return _csv(path)


# -- CSV ---------------------------------------------------------------------------------------


_CHUNK = 1 << 20


def encoding_of(path: Path) -> str:
    """The encoding to read a CSV in: its BOM's, UTF-8, or Excel's Windows encoding.

    The file is scanned in chunks (never held whole: a million rows are 300 MB of text).
    A file mixing UTF-8 with Windows text is refused at the first line that is not UTF-8,
    rather than read as Windows text throughout ('Zoë' turning into 'ZoÃ«').
    """
    with path.open("rb") as handle:
        start = handle.read(4)
    for bom, encoding in _BOMS:
        if start.startswith(bom):
            bad = _first_error(path, encoding)
            if bad is not None:
                raise Unreadable(Problem(bad, "file", f"not valid {encoding.upper()} text"))
            return encoding
    nul = multibyte = False
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            nul = nul or b"\x00" in chunk
            # A chunk of ASCII alone (a byte test) holds no UTF-8 character: no scan.
            multibyte = multibyte or (
                not chunk.isascii() and _UTF8_MULTIBYTE.search(chunk) is not None
            )
    if nul:
        raise Unreadable(
            Problem(0, "file", "not a text file (save the spreadsheet as CSV UTF-8, or .xlsx)")
        )
    bad = _first_error(path, "utf-8")
    if bad is None:
        return "utf-8"
    if multibyte:
        raise Unreadable(
            Problem(
                bad,
                "file",
                "mixes encodings: this line is not UTF-8 but others are "
                "(save the spreadsheet as CSV UTF-8)",
            )
        )
    if _first_error(path, "cp1252") is None:
        return "cp1252"  # Excel's "CSV" on Windows
    raise Unreadable(
        Problem(
            _first_error(path, "cp1252") or 0,
            "file",
            "is in no encoding we can read (neither UTF-8 nor Windows text); "
            "save the spreadsheet as CSV UTF-8",
        )
    )


def _first_error(path: Path, encoding: str) -> int | None:
    """The line of the first bytes that are not ``encoding``; None if there are none."""
    decoder = codecs.getincrementaldecoder(encoding)()
    newlines = returns = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                before = chunk[: max(exc.start, 0)]
                return max(newlines + before.count(b"\n"), returns + before.count(b"\r")) + 1
            if not chunk:
                return None
            newlines += chunk.count(b"\n")
            returns += chunk.count(b"\r")


def _csv(path: Path) -> Source:
    try:
        size = path.stat().st_size
        encoding = encoding_of(path)
        lines = 0
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                lines += chunk.count(b"\n") or chunk.count(b"\r")
    except OSError as exc:
        raise Unreadable(Problem(0, "file", f"cannot read {path}: {exc.strerror}")) from None
    return Source(_csv_rows(path, encoding, size), unit="line", total=max(lines - 1, 0))


def _csv_rows(path: Path, encoding: str, size: int) -> Iterator[tuple[int, list[Any]]]:
    # The limit is checked per cell below, naming the line and column; the csv module's
    # own check would end the reading with an error naming neither.
    csv.field_size_limit(max(csv.field_size_limit(), size + 1))
    # newline="" reads \r\n, \n and old Mac Excel's lone \r alike, as the csv module wants.
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle)
        # Named here: the generator may be closed as the interpreter exits, module gone.
        not_csv = csv.Error
        try:
            for row in reader:  # the reader's own loop: a call to next() a row cost more
                yield reader.line_num, row
        except not_csv as exc:
            raise Unreadable(
                Problem(reader.line_num, "file", f"not readable as CSV: {exc}")
            ) from None


# -- workbooks ---------------------------------------------------------------------------------


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')


def _size_from_head(worksheet: Any) -> None:
    """A read-only sheet's size from its <dimension>, which comes before the cells.

    openpyxl looks for it by parsing the sheet until it is found; a sheet written without
    one (openpyxl's own write-only workbooks, our export) was parsed whole before a row
    was read: 26 s of a 100,000-row import. Without one, the size is simply not known.
    """
    from openpyxl.utils.cell import range_boundaries

    with worksheet.parent._archive.open(worksheet._worksheet_path) as handle:
        head = handle.read(1 << 16)
    head = head.split(b"sheetData", 1)[0]
    match = _DIMENSION.search(head)
    if match:
        ref = match.group(1).decode()
        bounds = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
        worksheet._min_column, worksheet._min_row, worksheet._max_column, worksheet._max_row = (
            bounds
        )


def _workbook(path: Path, sheet: str | None) -> Source:
    from openpyxl import load_workbook  # only a workbook's import pays for it
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = _size_from_head  # type: ignore[method-assign]

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise Unreadable(Problem(0, "file", f"cannot read {path}: no such file")) from None
    except OSError as exc:
        raise Unreadable(Problem(0, "file", f"cannot read {path}: {exc.strerror}")) from None
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise Unreadable(
            Problem(0, "file", "not a workbook that can be read (is it really .xlsx?)")
        ) from None
    names = list(book.sheetnames)
    if sheet is None:
        worksheet = book.worksheets[0]
    else:
        from .words import norm

        chosen = [n for n in names if norm(n) == norm(sheet)]
        if not chosen:
            book.close()
            listed = ", ".join(f"'{n}'" for n in names)
            raise Unreadable(Problem(0, "sheet", f"no sheet '{sheet}' (the sheets: {listed})"))
        worksheet = book[chosen[0]]
    if not hasattr(worksheet, "iter_rows"):  # a chart sheet
        book.close()
        raise Unreadable(Problem(0, "sheet", f"'{worksheet.title}' holds no cells"))
    total = worksheet.max_row if isinstance(worksheet.max_row, int) else None
    try:
        merged = _merged_ranges(worksheet)
    except _DAMAGED as exc:
        book.close()
        raise Unreadable(Problem(0, "file", _damaged(exc, "cannot be read"))) from None
    # The stored size of a sheet often runs to the last formatted row (a million empty
    # rows); without it openpyxl gives the rows that hold cells, and no padding after.
    worksheet.reset_dimensions()
    from .sheet_xml import fast_rows

    numbered = fast_rows(worksheet)
    if numbered is None:
        numbered = enumerate(worksheet.iter_rows(values_only=True), start=1)
    return Source(
        _workbook_rows(book, numbered, merged),
        unit="row",
        total=(total - 1) if total else None,
        sheet=worksheet.title,
        sheets=names,
    )


def _workbook_rows(
    book: Any,
    numbered: Iterator[tuple[int, Any]],
    merged: dict[int, list[tuple[int, int, int]]],
) -> Iterator[tuple[int, list[Any]]]:
    # A merged cell holds its value in its top-left cell only. A heading or a reference
    # merged down over several rows (the stages of one case) means that value in each of
    # them, so it is carried down its first column; other cells of the range stay blank.
    carry: list[tuple[int, int, Any]] = []  # (last row, column, value)
    try:
        for number, values in _undamaged(numbered):
            # (a type looked for along the row: a set of the row's types took half again)
            if type(values) is list and float not in map(type, values):
                row = values  # the fast reader's own list, with no float to make whole
            else:
                row = [_cell(v) for v in values]
            if carry:
                carry = [c for c in carry if c[0] >= number]
                for _, column, value in carry:
                    while len(row) <= column:
                        row.append(None)
                    if row[column] is None or row[column] == "":
                        row[column] = value
            for last, first_col, _ in merged.get(number, ()):
                if first_col < len(row) and last > number:
                    carry.append((last, first_col, row[first_col]))
            yield number, row
    finally:
        book.close()


def _undamaged(numbered: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    """The rows, or Unreadable where the sheet stops being readable (its compressed
    data damaged: a copy cut short, a disk's bad sector), saying after which row."""
    number = 0
    try:
        for number, values in numbered:
            yield number, values
    except _DAMAGED as exc:
        raise Unreadable(
            Problem(number, "file", _damaged(exc, "cannot be read after this row"))
        ) from None


_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError, ParseError)
"""What reading a damaged sheet raises (zipfile, zlib, the text, the XML parser)."""


def _damaged(exc: Exception, where: str) -> str:
    return f"the workbook is damaged: its sheet {where} ({str(exc) or type(exc).__name__})"


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # a whole number typed in a cell is read as 1.0
    return value


def _merged_ranges(worksheet: Any) -> dict[int, list[tuple[int, int, int]]]:
    """{first row: [(last row, first column index, last column index)]} of merged cells.

    Read-only worksheets do not parse them, so they are found in the sheet's XML, where
    they follow the cells: a byte scan, chunk by chunk, costs a fraction of the parse.
    """
    from openpyxl.utils import column_index_from_string

    ranges: dict[int, list[tuple[int, int, int]]] = {}
    try:
        archive: zipfile.ZipFile = worksheet.parent._archive
        member = worksheet._worksheet_path
    except AttributeError:
        return ranges
    tail = b""
    with archive.open(member) as handle:
        while chunk := handle.read(1 << 20):
            data = tail + chunk
            cut = data.rfind(b"<")
            # Merged cells are listed after the sheet's cells: a chunk without the word
            # (a plain byte search) has none, and the pattern's scan of it was two thirds
            # of this pass. A tag cut at the chunk's end is whole in the next one's data.
            if b"mergeCell " not in data:
                tail = data[cut:] if cut > 0 else b""
                continue
            for match in _MERGE.finditer(data, 0, cut if cut > 0 else len(data)):
                c1, r1, c2, r2 = match.groups()
                ranges.setdefault(int(r1), []).append(
                    (
                        int(r2),
                        column_index_from_string(c1.decode()) - 1,
                        column_index_from_string(c2.decode()) - 1,
                    )
                )
            tail = data[cut:] if cut > 0 else b""
    return ranges
