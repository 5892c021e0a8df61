"""A team's own workbook: their headings and words, a proposed mapping, Excel in and out."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import text

from complaints_tui.cli import main
from db.engine import make_engine

TODAY = ("--today", "2026-11-23")

HEADINGS = [
    "Ref No",
    "Date Rec'd",
    "Type of complaint",
    "Stage",
    "Outcome",
    "Team",
    "Date responded",
    "Notes",
]
ROWS = [
    # a statutory case's two stages, its reference merged down over both rows
    [
        "CSC/001",
        datetime(2023, 4, 3),
        "Statutory",
        "Stage 1 - Statutory",
        "Partially Upheld",
        "CIC North",
        "20/04/23",
        "x",
    ],
    [
        None,
        datetime(2023, 5, 2),
        "Statutory",
        "Stage 2 - Statutory",
        "Not upheld ",
        "CIC North",
        None,
        "",
    ],
    [
        "CSC/002",
        "12/06/2023",
        "Corporate",
        "stage 1",
        "NFA",
        "Early Help",
        datetime(2023, 6, 20),
        "",
    ],
    [1234, datetime(2023, 7, 1), "MP enquiry", None, None, "MASH", None, ""],
    ["CSC/003", datetime(2023, 7, 3), "Compliment", None, None, "Fostering", None, ""],
]


def workbook(path: Path, rows: list[list[object]] = ROWS, sheet: str = "Log 2023-24") -> Path:
    """Laid out as a team lays it out: a merged title row, the header, then the rows."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(["Children's Services complaints log 2023-24"])
    ws.merge_cells("A1:H1")
    ws.append(HEADINGS)
    for row in rows:
        ws.append(row)
    ws.merge_cells("A3:A4")
    for number in range(len(rows) + 3, len(rows) + 30):  # formatted, empty rows after
        ws.cell(row=number, column=2).number_format = "DD/MM/YYYY"
    book.create_sheet("Notes").append(["not the data"])
    book.save(path)
    return path


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


def query(db: Path, sql: str) -> list[tuple]:
    """The rows ``sql`` reads from the database file ``db``, as tuples."""
    engine = make_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(text(sql)).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def stages(db: Path) -> list[tuple]:
    return query(
        db,
        "SELECT c.reference, s.procedure, s.number, s.received, s.responded, s.outcome,"
        " c.service FROM stages s JOIN cases c ON c.id = s.case_id"
        " ORDER BY c.reference, s.number",
    )


def test_a_proposed_mapping_needs_no_correction(tmp_path: Path, capsys) -> None:
    book = workbook(tmp_path / "team.xlsx")
    db = tmp_path / "a.sqlite3"
    mapping = tmp_path / "map.toml"
    assert run("--db", db, *TODAY, "import", book, "--propose-mapping", mapping) == 0
    proposed = mapping.read_text()
    for line in (
        'reference = "Ref No"',
        'received = "Date Rec\'d"',
        'procedure = "Type of complaint"',
        'stage = "Stage"',
        'outcome = "Outcome"',
        'service = "Team"',
        'ignore = ["Notes"]',
        '"Stage 1 - Statutory" = "statutory 1"',
        '"Partially Upheld" = "partially_upheld"',
        '"NFA" = "no_finding"',
        '"MP enquiry" = "mp"',
    ):
        assert line in proposed
    assert "not recognised" not in capsys.readouterr().out
    assert stages(db) == []  # proposing stores nothing

    assert run("--db", db, *TODAY, "import", book, "--mapping", mapping) == 0
    assert "Imported 5 stage(s) of 4 case(s)" in capsys.readouterr().out
    assert stages(db) == [
        ("1234", "mp", 1, "2023-07-01", None, None, "MASH"),
        ("CSC/001", "statutory", 1, "2023-04-03", "2023-04-20", "partially_upheld", "CIC North"),
        ("CSC/001", "statutory", 2, "2023-05-02", None, "not_upheld", "CIC North"),
        ("CSC/002", "corporate", 1, "2023-06-12", "2023-06-20", "no_finding", "Early Help"),
        ("CSC/003", "compliment", 1, "2023-07-03", None, None, "Fostering"),
    ]


def test_bad_rows_are_named_by_excel_row_and_the_teams_heading(tmp_path: Path, capsys) -> None:
    rows = [
        *ROWS,
        ["CSC/004", "31/02/2024", "Statutory", "Stage 1", None, "", None, ""],  # row 8
        ["CSC/005", datetime(2024, 1, 2), "Statutory", "Stage 9", "Sort of", "", None, ""],
    ]
    book = workbook(tmp_path / "team.xlsx", rows)
    db = tmp_path / "a.sqlite3"
    assert run("--db", db, *TODAY, "import", book, "--sheet", "log 2023-24", "--check") == 1
    err = capsys.readouterr().err
    assert "row 2, Notes: unknown column" in err  # without a mapping, Notes fits nowhere
    mapping = tmp_path / "map.toml"
    run("--db", db, *TODAY, "import", book, "--propose-mapping", mapping)
    capsys.readouterr()
    assert run("--db", db, *TODAY, "import", book, "--mapping", mapping) == 1
    err = capsys.readouterr().err
    assert "team.xlsx: row 8, Date Rec'd: '31/02/2024' is an impossible date" in err
    assert "team.xlsx: row 9, Stage: stage 'Stage 9' out of range (1 to 3)" in err
    assert "team.xlsx: row 9, Outcome: unknown outcome 'Sort of'" in err
    assert "refused, 3 problem(s); nothing imported" in err
    assert "Traceback" not in err
    assert stages(db) == []


def test_check_stores_nothing_and_says_what_it_would_import(tmp_path: Path, capsys) -> None:
    db = tmp_path / "a.sqlite3"
    csv_file = tmp_path / "in.csv"
    csv_file.write_text(
        "Ref No,Date Rec'd,Type of complaint,Stage,Outcome,Team\n"
        "A-1,01/04/2024,Statutory,1,Upheld,CIC\nA-1,2024-05-01,Statutory,2,,CIC\n"
        "B-1,2024-04-02,Corporate,Stage 1,NFA,EH\n",
        encoding="utf-8",
    )
    assert run("--db", db, *TODAY, "import", csv_file, "--check") == 0
    out = capsys.readouterr().out
    assert "3 stage(s) of 2 case(s) would be imported; no problems" in out
    assert "Statutory 1 1, Statutory 2 1, Corporate 1 1" in out
    assert "nothing was stored" in out
    assert stages(db) == []


def test_export_xlsx_opens_with_dates_as_dates(tmp_path: Path, capsys) -> None:
    db = tmp_path / "a.sqlite3"
    book = workbook(tmp_path / "team.xlsx")
    mapping = tmp_path / "map.toml"
    run("--db", db, *TODAY, "import", book, "--propose-mapping", mapping)
    run("--db", db, *TODAY, "import", book, "--mapping", mapping)
    out = tmp_path / "out.xlsx"
    assert run("--db", db, *TODAY, "export", out) == 0
    assert (out.stat().st_mode & 0o777) == 0o600
    sheet = load_workbook(out).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "reference" and sheet["A1"].font.b
    from openpyxl.utils import get_column_letter

    from complaints_tui.services.exporter import HEADER

    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(HEADER))}6"
    assert [c.value for c in sheet[1]] == list(HEADER)
    received = sheet["D3"]
    assert received.value.date() == date(2023, 4, 3)
    assert received.number_format == "DD/MM/YYYY"
    assert sheet.column_dimensions["N"].width >= 40  # the summary has room
    # the workbook re-imports into an empty database unchanged
    other = tmp_path / "b.sqlite3"
    assert run("--db", other, *TODAY, "import", out) == 0
    run("--db", db, *TODAY, "export", tmp_path / "1.csv")
    run("--db", other, *TODAY, "export", tmp_path / "2.csv")
    assert (tmp_path / "1.csv").read_text() == (tmp_path / "2.csv").read_text()


HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tTabbed", "'=quoted", "'plain"]


def test_formula_cells_are_text_in_both_exports_and_come_back_exact(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    for n, summary in enumerate(HOSTILE, start=1):
        assert (
            run(
                "--db",
                db,
                *TODAY,
                "log",
                "--procedure",
                "mp",
                "--received",
                "2026-11-02",
                "--reference",
                f"H-{n}",
                "--summary",
                summary,
                "--service",
                summary,
            )
            == 0
        )
    run("--db", db, *TODAY, "export", tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(newline="", encoding="utf-8") as handle:
        written = {r["reference"]: r["summary"] for r in csv.DictReader(handle)}
    for n, summary in enumerate(HOSTILE[:5], start=1):
        assert written[f"H-{n}"] == "'" + summary  # Excel shows it as text
    assert written["H-6"] == "''=quoted" and written["H-7"] == "'plain"
    run("--db", db, *TODAY, "export", tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    cells = {row[0].value: row[13] for row in sheet.iter_rows(min_row=2)}
    assert cells["H-1"].data_type == "s" and cells["H-1"].value == HOSTILE[0]
    for kind in ("csv", "xlsx"):
        other = tmp_path / f"{kind}.sqlite3"
        assert run("--db", other, *TODAY, "import", tmp_path / f"out.{kind}") == 0
        engine = make_engine(other)
        with engine.connect() as conn:
            back = dict(conn.execute(text("SELECT reference, summary FROM cases")).all())
            services = dict(conn.execute(text("SELECT reference, service FROM cases")).all())
        engine.dispose()
        assert back == {f"H-{n}": s for n, s in enumerate(HOSTILE, start=1)}, kind
        assert services == back, kind


def test_a_mapping_file_with_a_wrong_key_is_one_line(tmp_path: Path, capsys) -> None:
    db = tmp_path / "a.sqlite3"
    book = workbook(tmp_path / "team.xlsx")
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\nref = "Ref No"\n', encoding="utf-8")
    assert run("--db", db, "import", book, "--mapping", mapping) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown key 'columns.ref'" in err[0]
    mapping.write_text('[words.outcome]\n"NFA" = "nothing"\n', encoding="utf-8")
    assert run("--db", db, "import", book, "--mapping", mapping) == 1
    assert "words.outcome 'NFA' = 'nothing': not one of ours" in capsys.readouterr().err
    assert run("--db", db, "import", book, "--sheet", "Nope") == 1
    assert "no sheet 'Nope' (the sheets: 'Log 2023-24', 'Notes')" in capsys.readouterr().err
