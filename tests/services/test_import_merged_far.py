"""A merged reference at the foot of a long sheet (its XML more than one read's chunk) is
still found, and carried down its rows."""

from __future__ import annotations

from pathlib import Path
from zipfile import ZipFile

from openpyxl import Workbook
from sqlalchemy import text

from complaints_tui.services.context import Context
from complaints_tui.services.importer import import_file


def test_a_merge_after_a_megabyte_of_cells_is_carried_down(ctx: Context, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["reference", "procedure", "stage", "received", "summary"])
    words = "A long summary of what the family said, written out in full by the officer. " * 2
    for n in range(1, 6001):
        sheet.append([f"L-{n}", "mp", None, "2024-01-10", words])
    last = sheet.max_row + 1
    sheet.append(["M-1", "statutory", 1, "2024-01-10", "first stage"])
    sheet.append([None, "statutory", 2, "2024-02-10", "second stage"])
    sheet.merge_cells(f"A{last}:A{last + 1}")
    path = tmp_path / "long.xlsx"
    book.save(path)
    with ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 1 << 20
    assert import_file(ctx, path).stages == 6002
    with ctx.engine.connect() as conn:
        stages = conn.execute(
            text(
                "SELECT s.number FROM stages s JOIN cases c ON c.id = s.case_id "
                "WHERE c.reference = 'M-1' ORDER BY s.number"
            )
        ).all()
    assert [n for (n,) in stages] == [1, 2]
