"""The export's workbook writer: what a spreadsheet program reads back from it."""

from __future__ import annotations

import errno
import io
import random
import resource
import signal
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from complaints_tui.services.export_sheet import SheetWriter, column_letter, serial, write_workbook
from complaints_tui.services.importing.sources import open_source


def test_cells_read_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    rows = [
        ["R-1", date(2024, 1, 20), 3, "line one\r\nline two", "  spaced  ", "a < b & c > d"],
        ["R-2", None, 0, "", "=SUM(A1)", "ctrl\x01char"],
        ["R-3", date(1900, 1, 1), None, "Zoë", "'quoted", "\ttabbed"],
    ]
    header = ["ref", "day", "n", "text", "more", "other"]
    assert write_workbook(path, "Stages", header, [10] * 6, rows, len(rows)) == 3
    sheet = load_workbook(path).active
    assert sheet.title == "Stages"
    assert [c.value for c in sheet[1]] == header and sheet["A1"].font.b
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:F4"
    assert sheet["B2"].value == datetime(2024, 1, 20) and sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["B4"].value == datetime(1900, 1, 1)
    assert sheet["C2"].value == 3 and sheet["C3"].value == 0
    assert sheet["D2"].value == "line one\r\nline two"  # the carriage return kept
    assert sheet["E2"].value == "  spaced  " and sheet["F2"].value == "a < b & c > d"
    # text that looks like a formula is text, kept so when edited; the control character
    # (which no workbook can hold) is dropped rather than the export failing
    assert sheet["E3"].data_type == "s" and sheet["E3"].value == "=SUM(A1)"
    assert sheet["E3"].quotePrefix
    assert sheet["F3"].value == "ctrlchar"
    assert sheet["B3"].value is None and sheet["D3"].value is None
    assert sheet["D4"].value == "Zoë" and sheet["F4"].value == "\ttabbed"
    # an empty value is no cell at all: the file holds only what was written
    with zipfile.ZipFile(path) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert 'r="B3"' not in xml and 'r="D3"' not in xml and 'r="C4"' not in xml
    # the import's own reader gives the same values as openpyxl
    source = open_source(path)
    read = [cells for _, cells in source.rows]
    assert read[1][:4] == ["R-1", datetime(2024, 1, 20), 3, "line one\r\nline two"]
    assert read[2][3] is None and read[2][4] == "=SUM(A1)"


def test_columns_and_dates_as_excel_numbers_them() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 32, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AG",
        "ZZ",
        "AAA",
    ]
    assert serial(date(1900, 1, 1)) == 1
    assert serial(date(1900, 2, 28)) == 59
    assert serial(date(1900, 3, 1)) == 61  # after Excel's 29 February 1900
    assert serial(date(2024, 1, 20)) == 45311


def test_many_rows_of_each_shape_read_back_as_written(tmp_path: Path) -> None:
    # Rows of the same types are written by one template: every kind of value an export
    # holds, in rows that repeat a shape, with text to escape and texts left empty.
    path = tmp_path / "out.xlsx"
    rows = []
    for n in range(300):
        rows.append(
            [
                f"R-{n}",
                date(2024, 1, 1 + n % 28),
                n % 4 or None,
                ["", "A & B <ok>", "plain", "Zoë > Ann"][n % 4],
                datetime(2023, 5, 6, 7, 8) if n % 3 else None,
                n * 1.5 if n % 5 == 0 else n,
                "==" if n == 150 else "x",  # one row of the shape needing the quote
                "",
                "tail " if n == 7 else "text",  # one needing its spaces kept
            ]
        )
    header = ["ref", "day", "n", "text", "when", "num", "formula", "empty", "spaced"]
    assert write_workbook(path, "Stages", header, [10] * 9, rows, len(rows)) == 300
    sheet = load_workbook(path).active
    read = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    expected = [
        [
            v
            if not isinstance(v, date) or isinstance(v, datetime)
            else datetime(v.year, v.month, v.day)
            for v in row
        ]
        for row in rows
    ]
    for row in expected:
        row[3] = row[3] or None
        row[4] = datetime(2023, 5, 6) if row[4] else None  # a date cell holds the day
        row[7] = None
    assert read == expected
    assert sheet["G152"].quotePrefix and not sheet["G151"].quotePrefix
    assert sheet["B2"].number_format == "DD/MM/YYYY" and sheet["E3"].number_format == "DD/MM/YYYY"
    assert sheet["A301"].value == "R-299" and sheet.auto_filter.ref == "A1:I301"
    with zipfile.ZipFile(path) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<t></t>" not in xml and 'r="H2"' not in xml  # an empty text is no cell


def test_rows_written_by_template_are_the_bytes_written_cell_by_cell() -> None:
    # Whatever a row holds, the quick path writes what the careful one would: rows of
    # awkward values (to escape, to quote, to keep spaced, to drop), each shape twice.
    pool = [None, "", "x", "A & B", "<tag>", " lead", "trail ", "=1+2", "+4", "-", "@me"]
    pool += ["\ttab", "a\rb", "nul\x00in", "ctl\x01", "new\nline", "Zoë", "\ufffe", "50%"]
    pool += ["{0}", "%s", 0, 7, -3, 2.5, 1e20, True, False, date(2024, 1, 2), b"bytes"]
    pool += [date(1900, 2, 28), datetime(2023, 5, 6, 7, 8)]
    chosen = random.Random(1)
    for _ in range(100):
        rows = [[chosen.choice(pool) for _ in range(chosen.randint(0, 9))] for _ in range(40)]
        rows += [list(row) for row in rows]
        quick, careful = io.BytesIO(), io.BytesIO()
        writer = SheetWriter(quick, 8)
        assert writer.rows(rows) == len(rows)
        writer.flush()
        other = SheetWriter(careful, 8)
        for row in rows:
            other.number += 1
            other.cells(row, 0)
        other.flush()
        assert quick.getvalue() == careful.getvalue()


def test_a_workbook_that_cannot_be_written_says_why_and_leaves_no_file(tmp_path: Path) -> None:
    # The sheet is compressed and written by a thread of its own: a write that fails
    # there (here the file grows past the size this process may write, as a full disk
    # would refuse it) is raised to the export, and nothing is left behind.
    path = tmp_path / "full.xlsx"
    noise = random.Random(2)
    texts = ["".join(noise.choices("abcdefgh ", k=200)) for _ in range(1000)]
    count = 100_000  # about 10 MB compressed: the limit is met a tenth of the way
    taken: list[int] = []

    def given() -> Iterator[list[str]]:
        for n in range(count):
            taken.append(n)
            yield [f"R-{n}", texts[n % 1000]]

    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    ignored = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, limits[1]))
    try:
        with pytest.raises(OSError) as failed:
            write_workbook(path, "Stages", ["ref", "text"], [10, 40], given(), count)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, ignored)
    assert failed.value.errno == errno.EFBIG
    assert len(taken) < count / 2  # stopped once the failure was known, not at the end
    assert list(tmp_path.iterdir()) == []
