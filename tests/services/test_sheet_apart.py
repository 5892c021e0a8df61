"""A large sheet is read by a process of its own (importing.sheet_apart): the rows it
gives are the ones read here, cell for cell; closing early leaves no process behind; and
a damaged workbook is refused whole, with one line, and nothing stored."""

from __future__ import annotations

import multiprocessing
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text

from complaints_tui.services.context import Context
from complaints_tui.services.importer import check_file, import_file
from complaints_tui.services.importing import sheet_apart
from complaints_tui.services.importing.problems import ImportRefused
from complaints_tui.services.importing.sheet_xml import fast_rows

SHEET = "xl/worksheets/sheet1.xml"


def workbook(path: Path, rows: int) -> Path:
    """An officer's sheet of ``rows`` stages, its cells of many kinds."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["reference", "procedure", "stage", "received", "responded", "summary"])
    notes = ["A & B", "x <y> z", "line\r\nnext", " spaced ", "café ☕", "plain", "=1+2"]
    for n in range(1, rows + 1):
        responded = datetime(2024, 3, n % 28 + 1) if n % 3 else None
        received = date(2024, 1, n % 28 + 1) if n % 2 else f"{n % 28 + 1:02d}/01/2024"
        sheet.append([f"R-{n}", "statutory", 1, received, responded, f"{notes[n % 7]} {n}"])
        if n % 50 == 0:
            sheet.cell(row=n + 1, column=8, value=n + 0.5)  # a wider row now and then
    book.save(path)
    return path


def read(path: Path) -> list[tuple[int, list[object]]]:
    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    rows = fast_rows(sheet)
    assert rows is not None
    try:
        return list(rows)
    finally:
        book.close()


def readers() -> list[str]:
    return [p.name for p in multiprocessing.active_children() if p.name == "sheet"]


def test_a_sheet_read_apart_gives_every_row_as_it_is_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workbook(tmp_path / "stages.xlsx", 3000)
    here = read(path)
    monkeypatch.setattr(sheet_apart, "LARGE", 0)
    monkeypatch.setattr(sheet_apart, "BATCH", 7)  # batches end all over the forms
    apart = read(path)
    assert apart == here
    assert len(here) == 3001 and here[2][1][:3] == ["R-2", "statutory", 1]
    assert readers() == []  # gone once the sheet is read


def test_rows_no_longer_wanted_stop_the_process_reading_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workbook(tmp_path / "stages.xlsx", 3000)
    monkeypatch.setattr(sheet_apart, "LARGE", 0)
    book = load_workbook(path, read_only=True, data_only=True)
    rows = fast_rows(book.worksheets[0])
    assert rows is not None
    assert next(rows)[1][0] == "reference"
    assert readers() == ["sheet"]
    rows.close()  # type: ignore[attr-defined]  # as the Import screen's preview does
    book.close()
    assert readers() == []


def damage(path: Path) -> Path:
    """The workbook with bytes in the middle of its sheet's compressed data overwritten
    (a copy cut short or a bad sector reads so)."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    data = bytearray(path.read_bytes())
    at = info.header_offset  # the local header: 30 bytes, then its name and extra field
    name = int.from_bytes(data[at + 26 : at + 28], "little")
    extra = int.from_bytes(data[at + 28 : at + 30], "little")
    start = at + 30 + name + extra
    middle = start + info.compress_size // 2
    data[middle : middle + 64] = bytes(range(64))
    damaged = path.with_name("damaged.xlsx")
    damaged.write_bytes(bytes(data))
    return damaged


def test_a_damaged_sheet_read_apart_raises_what_reading_it_here_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = damage(workbook(tmp_path / "stages.xlsx", 3000))
    with pytest.raises(Exception) as here:
        read(path)
    monkeypatch.setattr(sheet_apart, "LARGE", 0)
    with pytest.raises(type(here.value)) as apart:
        read(path)
    assert str(apart.value) == str(here.value)
    assert readers() == []


@pytest.mark.parametrize("apart", [False, True], ids=["here", "apart"])
def test_a_damaged_workbook_is_refused_whole_with_one_line(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apart: bool
) -> None:
    path = damage(workbook(tmp_path / "stages.xlsx", 3000))
    if apart:
        monkeypatch.setattr(sheet_apart, "LARGE", 0)
    plan = check_file(ctx, path)
    assert not plan.ok
    [problem] = [str(p) for p in plan.problems]
    assert "file: the workbook is damaged: its sheet cannot be read" in problem
    with pytest.raises(ImportRefused) as refused:
        import_file(ctx, path)
    assert [str(p) for p in refused.value.problems] == [problem]
    with ctx.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 0
