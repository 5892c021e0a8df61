"""The workbook import reads a sheet's XML itself (openpyxl's reader was two minutes for
100,000 rows): whatever a spreadsheet program writes, it must give the values openpyxl
gives, cell for cell."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from complaints_tui.services.importing.sheet_xml import fast_rows


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
