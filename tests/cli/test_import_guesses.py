"""A workbook whose headings no synonym names: the proposal places them by their words and
by what their cells hold, and a direct import (no mapping) still stores nothing on a guess."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from complaints_tui.services.importing.guess import guess_heading
from tests.cli.test_import_workbooks import query, run

TODAY = ("--today", "2026-11-23")

HEADINGS = [
    "Complaint Reference",
    "Date Complaint Received",
    "Complaint Category",  # holds the procedure and stage, as many teams keep them
    "Service Area",
    "Team",
    "Date of Response",
    "Outcome",
    "Ext agreed (Y/N)",
    "Source",
    "Complainant",
    "Within timescale?",
    "Working days",
    "Investigating Officer",
    "Summary of complaint",
]
D = datetime
ROWS = [
    ["CS/001", D(2023, 4, 3), "Stage One Corporate", "Early Help", "Tamworth EH",
     D(2023, 4, 14), "Part Upheld", "N", "E-mail", "Mother", "Yes", 9, "J Bennett", "Late call"],
    ["CS/002", D(2023, 4, 5), "Statutory Stage 1", "Children in Care", "CiC North",
     D(2023, 4, 28), "Not Upheld", "Y", "Phone", "Young Person", "Yes", 16, "J Bennett", "Move"],
    ["CS/002", D(2023, 5, 10), "Statutory Stage 2", "Children in Care", "CiC North",
     None, None, "N", "Phone", "Young Person", "", "", "R Okafor", "Move"],
    ["CS/003", "12/04/2023", "MP Enquiry", "Front Door", "MASH", "19/04/23", "", "", "Letter",
     "Other", "Yes", 5, "", "MP letter"],
    ["CS/004", D(2023, 4, 20), "Member Enquiry", "Front Door", "MASH", D(2023, 4, 25), "", "",
     "Online form", "Grandparent", "Yes", 3, "", "Cllr query"],
    ["CS/005", D(2023, 5, 2), "LGO", "Children in Care", "Fostering", D(2023, 8, 1),
     "Fault and injustice", "", "Letter", "Solicitor", "", "", "", "Ombudsman"],
]  # fmt: skip


def workbook(path: Path) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "Log 2023-24"
    ws.append(["Children's Services Complaints Log 2023/24"])
    ws.merge_cells("A1:N1")
    ws.append(HEADINGS)
    for row in ROWS:
        ws.append(row)
    book.save(path)
    return path


def stages(db: Path) -> list[tuple]:
    return query(
        db,
        "SELECT c.reference, s.procedure, s.number, s.received, s.outcome, c.officer,"
        " s.extended_to IS NOT NULL FROM stages s JOIN cases c ON c.id = s.case_id"
        " ORDER BY c.reference, s.number",
    )


def test_the_proposal_places_headings_no_synonym_names(tmp_path: Path, capsys) -> None:
    book = workbook(tmp_path / "team.xlsx")
    db = tmp_path / "a.sqlite3"
    mapping = tmp_path / "map.toml"
    assert run("--db", db, *TODAY, "import", book, "--propose-mapping", mapping) == 0
    proposed = tomllib.loads(mapping.read_text())
    assert proposed["columns"] == {
        "reference": "Complaint Reference",
        "procedure": "Complaint Category",  # by what its cells hold, not its heading
        "received": "Date Complaint Received",
        "responded": "Date of Response",
        "outcome": "Outcome",
        "extended": "Ext agreed (Y/N)",
        "division": "Service Area",
        "service": "Team",
        "complainant": "Complainant",
        "channel": "Source",
        "summary": "Summary of complaint",
        "officer": "Investigating Officer",
    }
    # the export's own computed columns are read and not imported
    assert proposed["ignore"] == ["Within timescale?", "Working days"]
    assert proposed["words"]["procedure"] == {
        "Stage One Corporate": "corporate 1",
        "Statutory Stage 1": "statutory 1",
        "Statutory Stage 2": "statutory 2",
        "MP Enquiry": "mp",
        "Member Enquiry": "councillor",
        "LGO": "lgsco",
    }
    assert "not recognised" not in mapping.read_text()
    capsys.readouterr()

    assert run("--db", db, *TODAY, "import", book, "--mapping", mapping) == 0
    assert "Imported 6 stage(s) of 5 case(s)" in capsys.readouterr().out
    assert stages(db) == [
        ("CS/001", "corporate", 1, "2023-04-03", "partially_upheld", "J Bennett", 0),
        ("CS/002", "statutory", 1, "2023-04-05", "not_upheld", "J Bennett", 1),
        ("CS/002", "statutory", 2, "2023-05-10", None, "J Bennett", 0),
        ("CS/003", "mp", 1, "2023-04-12", None, None, 0),
        ("CS/004", "councillor", 1, "2023-04-20", None, None, 0),
        ("CS/005", "lgsco", 1, "2023-05-02", "fault_injustice", None, 0),
    ]


def test_without_a_mapping_nothing_is_stored_on_a_guess(tmp_path: Path, capsys) -> None:
    book = workbook(tmp_path / "team.xlsx")
    db = tmp_path / "a.sqlite3"
    assert run("--db", db, *TODAY, "import", book) == 1
    err = capsys.readouterr().err
    assert "Date Complaint Received: unknown column" in err
    assert "procedure: required column is missing" in err
    assert stages(db) == []


@pytest.mark.parametrize(
    ("heading", "column"),
    [
        ("Date Complaint Received", "received"),
        ("Date response due", "due"),  # a due date is not the response
        ("Response Due", "due"),
        ("Extension reason", "extension_reason"),
        ("Date extension agreed", "extension_agreed"),
        ("Extension? (Y/N)", "extended"),
        ("Date Acknowledgement Sent", "acknowledged"),
        ("Investigating Officer", "officer"),
        ("Name of complainant", "complainant_name"),
        ("Child's name", None),  # children's names are not the complainant's
        ("How was the complaint made", "channel"),
        ("Looked after child status", "child_statuses"),
        ("Days to respond", "working_days_taken"),
        ("Favourite colour", None),
    ],
)
def test_headings_are_placed_by_their_words(heading: str, column: str | None) -> None:
    assert guess_heading(heading, taken=()) == column


def test_a_guess_never_takes_a_column_already_placed() -> None:
    assert guess_heading("Date Complaint Received", taken=("received",)) is None


CSV = """Reference,Received Date,Type,Stage,Complaint raised by,Child Status,RAG
C-0001,03/04/2024,Statutory,1,Parent/Carer,CIN,Green
C-0002,04/04/2024,Corporate,Stage 1,Child/Young Person,CLA; EHCP,Amber
C-0003,05/04/2024,Statutory,1,Relative,Care Leaver,Green
C-0004,06/04/2024,Statutory,1,Parent/Carer,CPP,Red
"""


def test_a_teams_own_words_for_a_childs_status(tmp_path: Path, capsys) -> None:
    sheet = tmp_path / "log.csv"
    sheet.write_text(CSV)
    db = tmp_path / "a.sqlite3"
    mapping = tmp_path / "map.toml"
    assert run("--db", db, *TODAY, "import", sheet, "--propose-mapping", mapping) == 0
    proposed = tomllib.loads(mapping.read_text())
    assert proposed["columns"]["complainant"] == "Complaint raised by"
    assert proposed["columns"]["child_statuses"] == "Child Status"
    assert proposed["ignore"] == ["RAG"]
    assert run("--db", db, *TODAY, "import", sheet, "--mapping", mapping) == 0
    capsys.readouterr()
    assert run("--db", db, *TODAY, "show", "C-0002") == 0
    shown = capsys.readouterr().out
    assert "Child in care" in shown and "SEND" in shown
    sql = "SELECT reference, complainant_type, child_statuses FROM cases ORDER BY reference"
    assert query(db, sql) == [
        ("C-0001", "parent", "child_in_need"),
        ("C-0002", "young_person", "child_in_care;send"),
        ("C-0003", "family", "care_leaver"),
        ("C-0004", "parent", "child_protection"),
    ]


@pytest.mark.parametrize(
    ("word", "placed"),
    [
        ("Stage 1 (Local Resolution)", (None, 1)),
        ("Statutory - Local Resolution", ("statutory", 1)),
        ("Stage 2 Independent Investigation", (None, 2)),
        ("Review Panel", (None, 3)),
        ("Statutory (Children Act)", ("statutory", None)),
        ("Local Government Ombudsman enquiry", ("lgsco", None)),  # its 'enquiry' is no general
        ("Corporate Complaint Stage One", ("corporate", 1)),
        ("2nd", (None, 2)),
        ("Statutory 3rd stage", ("statutory", 3)),
        ("MP enquiry re social care", None),  # two procedures: the officer says which
        ("Stage 2 - Local resolution", None),  # two stages
    ],
)
def test_a_teams_words_for_a_procedure_and_its_stage(word: str, placed: tuple | None) -> None:
    from complaints_tui.domain.policy import Policy
    from complaints_tui.services.importing.words import Words

    assert Words(Policy().vocabularies, {}).procedure_and_stage("procedure", word) == placed
