"""A workbook kept a sheet a year: its sheets read together as one log, with problems
naming the sheet and the row, and a sheet left unread always said."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.cli.test_import_workbooks import TODAY, query, run

HEADINGS = ["Reference", "Received", "Stage", "Type", "Outcome", "Response sent"]


def yearly(path: Path, second: list[list[object]] | None = None, order: list[int] | None = None):  # type: ignore[no-untyped-def]
    """Two years' sheets, a case's Stage 1 on the first and its Stage 2 on the second, the
    second sheet's columns in ``order``; then a notes sheet."""
    book = Workbook()
    first = book.active
    first.title = "2023-24"
    first.append(["Complaints log 2023-24"])
    first.append(HEADINGS)
    first.append(["E/23/1", datetime(2024, 3, 1), "Stage 1", "Statutory", "Upheld",
                  datetime(2024, 3, 12)])  # fmt: skip
    sheet = book.create_sheet("2024-25")
    order = order or list(range(len(HEADINGS)))
    sheet.append([HEADINGS[i] for i in order])
    rows = second or [
        ["E/23/1", datetime(2024, 4, 2), "Stage 2", "Statutory", None, None],
        ["E/24/2", datetime(2024, 4, 5), "Stage 1", "Corporate", "Not upheld",
         datetime(2024, 4, 12)],
    ]  # fmt: skip
    for row in rows:
        sheet.append([row[i] for i in order])
    book.create_sheet("Notes").append(["Stage 2s go to the IO list"])
    book.save(path)
    return path


def stages(db: Path) -> list[tuple]:
    return query(
        db,
        "SELECT c.reference, s.number, s.received FROM stages s JOIN cases c "
        "ON c.id = s.case_id ORDER BY c.reference, s.number",
    )


def test_a_case_across_two_years_sheets_imports_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = yearly(tmp_path / "log.xlsx")
    db = tmp_path / "c.sqlite3"
    assert run("--db", db, *TODAY, "import", book, "--all-sheets") == 0
    out = capsys.readouterr().out
    assert "Imported 3 stage(s) of 2 case(s) from" in out
    assert "(sheets '2023-24', '2024-25')" in out
    assert "not read, having no header row of ours: 'Notes'" in out
    assert stages(db) == [
        ("E/23/1", 1, "2024-03-01"),
        ("E/23/1", 2, "2024-04-02"),
        ("E/24/2", 1, "2024-04-05"),
    ]


def test_the_first_sheet_alone_says_the_others_were_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = yearly(tmp_path / "log.xlsx")
    db = tmp_path / "c.sqlite3"
    assert run("--db", db, *TODAY, "import", book) == 0
    out = capsys.readouterr().out
    assert "Imported 1 stage(s) of 1 case(s)" in out
    assert "only sheet '2023-24' was read; the workbook also has '2024-25', 'Notes'" in out
    assert "--all-sheets" in out


def test_sheets_named_are_read_in_their_columns_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the second year's columns in another order: each cell still feeds its column
    book = yearly(tmp_path / "log.xlsx", order=[1, 0, 3, 2, 5, 4])
    db = tmp_path / "c.sqlite3"
    assert run("--db", db, *TODAY, "import", book, "--sheet", "2023-24", "--sheet", "2024-25") == 0
    assert stages(db)[1] == ("E/23/1", 2, "2024-04-02")
    assert query(db, "SELECT outcome FROM stages WHERE outcome IS NOT NULL ORDER BY id") == [
        ("upheld",),
        ("not_upheld",),
    ]


def test_a_problem_names_its_sheet_and_row_and_nothing_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = yearly(
        tmp_path / "log.xlsx",
        second=[
            ["E/23/1", datetime(2024, 4, 2), "Stage 2", "Statutory", None, None],
            ["E/23/1", datetime(2024, 4, 9), "Stage 2", "Statutory", None, None],
            ["E/24/2", "31/02/2024", "Stage 1", "Corporate", None, None],
        ],
    )
    db = tmp_path / "c.sqlite3"
    assert run("--db", db, *TODAY, "import", book, "--all-sheets") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [
        f"{book}: sheet '2024-25' row 3, Stage: E/23/1 statutory stage 2 already appears on "
        "sheet '2024-25' row 2",
        f"{book}: sheet '2024-25' row 4, Received: '31/02/2024' is an impossible date",
    ]
    assert err[-1] == f"{book}: refused, 2 problem(s); nothing imported."
    assert not db.exists() or query(db, "SELECT count(*) FROM stages") == [(0,)]


def test_sheets_with_other_columns_are_refused_naming_the_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = yearly(tmp_path / "log.xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(book)
    workbook["2024-25"].cell(row=1, column=6).value = None  # no 'Response sent' this year
    workbook.save(book)
    assert run("--db", tmp_path / "c.sqlite3", *TODAY, "import", book, "--all-sheets") == 1
    err = capsys.readouterr().err
    assert (
        "sheet '2024-25' row 1, header: this sheet lacks 'Response sent', unlike sheet "
        "'2023-24': sheets read together need the same columns" in err
    )


def test_several_sheets_of_a_csv_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "log.csv"
    path.write_text("reference,procedure,stage,received\nA-1,statutory,1,2024-01-10\n")
    assert run("--db", tmp_path / "c.sqlite3", *TODAY, "import", path, "--all-sheets") == 1
    assert "several sheets are for workbooks (.xlsx); this is a CSV" in capsys.readouterr().err


def test_a_mapping_file_can_read_every_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = yearly(tmp_path / "log.xlsx")
    mapping = tmp_path / "log.mapping.toml"
    mapping.write_text('all_sheets = true\n[columns]\nprocedure = "Type"\n')
    db = tmp_path / "c.sqlite3"
    assert run("--db", db, *TODAY, "import", book, "--mapping", mapping, "--check") == 0
    assert "(sheets '2023-24', '2024-25'): 3 stage(s) of 2 case(s)" in capsys.readouterr().out
    # a sheet named on the command line still reads that sheet alone
    assert run("--db", db, *TODAY, "import", book, "--mapping", mapping, "--sheet", "2024-25") == 0
    assert "Imported 2 stage(s) of 2 case(s)" in capsys.readouterr().out
    mapping.write_text("all_sheets = 'yes'\n")
    assert run("--db", db, *TODAY, "import", book, "--mapping", mapping) == 1
    assert "'all_sheets' must be true or false" in capsys.readouterr().err
