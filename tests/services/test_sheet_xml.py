"""The workbook import reads a sheet's XML itself (openpyxl's reader was two minutes for
100,000 rows): whatever a spreadsheet program writes, it must give the values openpyxl
gives, cell for cell."""

from __future__ import annotations

import random
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from complaints_tui.services.export_sheet import write_workbook
from complaints_tui.services.importing import sheet_apart
from complaints_tui.services.importing.sheet_xml import fast_rows


@pytest.fixture(autouse=True, params=["here", "apart"])
def where(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each sheet read here, and by the process a large sheet is read by (sheet_apart)."""
    if request.param == "apart":
        monkeypatch.setattr(sheet_apart, "LARGE", 0)


def both(path: Path) -> tuple[list[list[object]], list[list[object]]]:
    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    rows = fast_rows(sheet)
    assert rows is not None, "the fast reader gave up on an ordinary sheet"
    fast = {number: values for number, values in rows}
    width = max(len(v) for v in fast.values())
    ours = [[*fast.get(n, []), *[None] * (width - len(fast.get(n, [])))] for n in range(1, 9)]
    theirs = [
        [*row, *[None] * (width - len(row))]
        for row in load_workbook(path, read_only=True, data_only=True)
        .worksheets[0]
        .iter_rows(values_only=True, max_row=8, max_col=width)
    ]
    theirs += [[None] * width] * (len(ours) - len(theirs))
    book.close()
    return ours, theirs


def test_every_kind_of_cell_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Ref No", "Date Rec'd", "Count", "Flag", "Note"])
    sheet.append(["A&B <1>", datetime(2024, 1, 20), 3, True, "line one\r\nline two"])
    sheet.append(["C-2", date(2024, 2, 1), 2.5, False, "=1+2"])
    sheet["E3"].data_type = "s"  # text that looks like a formula
    sheet.append([" spaced ", 45310, -1, None, "café ☕"])
    sheet["A5"] = CellRichText(["Stage ", TextBlock(InlineFont(b=True), "1"), " - Statutory"])
    sheet["C5"] = "=SUM(C2:C4)"  # a formula, never calculated: no value to read
    sheet["E7"] = "after a gap"
    sheet["G8"] = "wider"
    path = tmp_path / "kinds.xlsx"
    book.save(path)
    ours, theirs = both(path)
    assert ours == theirs
    assert ours[1][:2] == ["A&B <1>", datetime(2024, 1, 20)]
    assert ours[4][0] == "Stage 1 - Statutory"


def test_a_write_only_export_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Stages")
    sheet.append(["reference", "received", "summary", "", None, "x"])
    sheet.append(["R-1", datetime(2024, 3, 4), "tab\tinside & <quoted>", "", None, 1])
    sheet.append([None, None, None])
    sheet.append(["R-2", None, "_x000D_ escaped", 0.0, 7, "end"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    ours, theirs = both(path)
    assert ours == theirs


def every_row(path: Path) -> tuple[list[list[object]], list[list[object]]]:
    """Every row of the first sheet as the fast reader gives it and as openpyxl does."""
    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    rows = fast_rows(sheet)
    assert rows is not None, "the fast reader gave up on an ordinary sheet"
    fast = dict(rows)
    book.close()
    book = load_workbook(path, read_only=True, data_only=True)
    theirs = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    width = max(len(row) for row in [*fast.values(), *theirs])
    ours = [fast.get(n, []) for n in range(1, max(len(theirs), max(fast)) + 1)]
    return (
        [[*row, *[None] * (width - len(row))] for row in ours],
        [[*row, *[None] * (width - len(row))] for row in theirs],
    )


def test_many_rows_of_a_few_forms_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    # Rows of one form (the same cells, types and styles) are read by the form the
    # first of them showed: whatever their values, each must read as openpyxl reads it.
    book = Workbook()
    sheet = book.active
    sheet.append(["Ref No", "Date Rec'd", "Count", "Flag", "Note", "Wide"])
    notes = ["A & B", "x <y> z", "line\r\nnext", "a > b", " spaced ", "café ☕", "plain"]
    for n in range(2, 80):
        note = f"{notes[n % len(notes)]} {n}"
        if n % 3 == 0:
            sheet.append([f"R-{n}", datetime(2024, 1, n % 28 + 1), n, n % 2 == 0, note])
        elif n % 3 == 1:
            sheet.append([f"R-{n}", None, n + 0.5, None, note, None, f"far {n}"])
        else:
            sheet.append([f"R-{n}", date(2023, 12, n % 28 + 1), 1e20 if n % 2 else -n, None])
    sheet["G100"] = "after a gap of rows"
    path = tmp_path / "forms.xlsx"
    book.save(path)
    ours, theirs = every_row(path)
    assert ours == theirs
    assert ours[3][:5] == ["R-4", None, 4.5, None, " spaced  4"]
    assert ours[2][2:4] == [3, False] and ours[2][1] == datetime(2024, 1, 4)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def hand_made(tmp_path: Path, rows: str, dates: set[int]) -> Path:
    """A workbook whose sheet is the XML ``rows``, with twenty cell styles of which those
    in ``dates`` show dates (as Excel's own files can have)."""
    base = tmp_path / "base.xlsx"
    book = Workbook()
    book.active["A1"] = "x"
    book.save(base)
    xfs = "".join(f'<xf numFmtId="{14 if i in dates else 0}" xfId="0"/>' for i in range(20))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'
    )
    path = tmp_path / "hand.xlsx"
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = re.sub(
                    rb"<cellXfs.*</cellXfs>", f'<cellXfs count="20">{xfs}</cellXfs>'.encode(), data
                )
            elif item.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            target.writestr(item, data)
    return path


def test_hand_written_rows_of_repeated_forms_read_as_openpyxl_reads_them(
    tmp_path: Path,
) -> None:
    texts = ["A &amp; B", "x &lt;y&gt; z", "line&#10;next", "a > b", "tab\there", "q&quot;"]
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>ref</t></is></c></row>']
    for n in range(2, 40):  # the export's forms: inline strings, dates, numbers, gaps
        rows.append(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>R-{n}</t></is></c>'
            f'<c r="B{n}" s="1{n % 10}"><v>{45300 + n}</v></c>'  # of 10-19, 12 alone a date
            f'<c r="C{n}"><v>{n + 0.25 if n % 2 else n}</v></c>'
            f'<c r="D{n}" t="inlineStr"><is><t xml:space="preserve"> {texts[n % 6]} </t></is></c>'
            f'<c r="F{n}" s="3"/><c r="G{n}" t="b"><v>{n % 2}</v></c>'
            f'<c r="H{n}" t="inlineStr"><is><t></t></is></c>'
            f'<c r="I{n}" t="n" s="4"><v>{n}</v></c><c r="AB{n}" t="e"><v>#N/A</v></c>'
            f'<c r="AC{n}" t="str"><v>{texts[n % 5]}</v></c></row>'
        )
    for n in range(40, 44):  # whitespace between the cells: texts that are no cell's
        rows.append(
            f'<row r="{n}">\n  <c r="A{n}" t="inlineStr"><is><t>P-{n}</t></is></c>\n'
            f'  <c r="B{n}"><v>{n}</v></c>\n</row>'
        )
    for n in range(44, 48):  # a cell whose reference is not its row's; a formula
        rows.append(
            f'<row r="{n}"><c r="A{n - 1}" t="inlineStr"><is><t>Q-{n}</t></is></c>'
            f'<c r="B{n}"><f>1+{n}</f><v>{n + 1}</v></c></row>'
        )
    rows += [  # no number, or not first; an empty row; rich text; a cell with no reference
        '<row><c r="A48" t="inlineStr"><is><t>S-48</t></is></c><c r="B48"><v>1</v></c></row>',
        '<row><c r="A49" t="inlineStr"><is><t>S-49</t></is></c><c r="B49"><v>2</v></c></row>',
        '<row spans="1:2" r="50"><c r="A50" t="inlineStr"><is><t>T</t></is></c>'
        '<c r="B50"><v>3</v></c></row>',
        '<row r="52"/>',
        '<row r="53"><c r="A53" t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r></is></c>'
        '<c t="inlineStr"><is><t>no ref</t></is></c><c r="D53"><v>4</v></c></row>',
    ]
    path = hand_made(tmp_path, "".join(rows), dates={4, 12})
    ours, theirs = every_row(path)
    # an empty inline string: None cell by cell (openpyxl: ""), and so by its form
    assert {r[7] for r in ours[1:39]} == {None} and {r[7] for r in theirs[1:39]} == {""}
    for row in theirs[1:39]:
        row[7] = None
    assert ours == theirs
    # the date style is read as a date on every row of its form, and only there
    assert [type(r[1]).__name__ for r in ours[1:12]] == ["datetime"] + ["int"] * 9 + ["datetime"]
    assert ours[1][:4] == ["R-2", datetime(2024, 1, 11), 2, " line\nnext "]
    assert ours[3][3] == " tab\there " and ours[4][3] == ' q" '


def test_the_exports_own_workbook_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    # The workbook `export` writes, re-imported: hundreds of rows of a few forms.
    palette: list[list[object]] = [
        ["", None, "x", "a < b & c > d", "line one\r\nline two", "  spaced  ", "=SUM(A1)", "Zoë"],
        [None, date(2024, 1, 20), date(1900, 3, 1), date(2031, 12, 31)],
        [None, 0, 3, -7, 2.5, 10**15],
        [None, "no", "yes"],
    ]
    chosen = random.Random(12)
    rows = [[f"CT-{n}", *(chosen.choice(palette[c % 4]) for c in range(12))] for n in range(400)]
    path = tmp_path / "export.xlsx"
    header = ["reference", *(f"column {c}" for c in range(12))]
    write_workbook(path, "Stages", header, [10] * 13, rows, len(rows))
    ours, theirs = every_row(path)
    assert ours == theirs
    assert len(ours) == 401 and ours[1][0] == "CT-0"
