"""A case's stages on several rows that give a case-wide value differently (two officers,
two services): the first row's is kept, and the officer is told where the other was."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from complaints_tui.cli import main
from db.engine import make_engine

TODAY = ("--today", "2026-11-23")
HEADER = "reference,procedure,stage,received,service,officer,themes,summary\n"


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


def test_a_value_that_differs_between_stages_is_named_with_its_row(tmp_path: Path, capsys) -> None:
    path = tmp_path / "team.csv"
    path.write_text(
        HEADER
        + "C-1,statutory,2,2024-03-01,Fostering,B. Jones,Delay,\n"  # line 2
        + "C-1,statutory,1,2024-01-10,Fostering,A. Smith,Delay;Contact,late visits\n"
        + "C-2,corporate,1,2024-01-11,Housing,A. Smith,Contact;Delay,\n"
        + "C-2,corporate,2,2024-02-11,  housing ,,delay; contact,\n",  # the same, as typed
        encoding="utf-8",
    )
    db = tmp_path / "a.sqlite3"
    assert run("--db", db, *TODAY, "import", path, "--check") == 0
    out = capsys.readouterr().out
    assert "Note: 1 value(s) on a later stage's row differ from the case's first row" in out
    # the statutory stage 1 is the case's first row, wherever it is in the file
    assert "line 2, officer: C-1: 'B. Jones' here, but 'A. Smith' on line 3, which is kept" in out
    assert "service:" not in out and "themes:" not in out  # case and spacing are no difference
    assert run("--db", db, *TODAY, "import", path) == 0
    out = capsys.readouterr().out
    assert "Imported 4 stage(s) of 2 case(s)" in out
    assert "line 2, officer: C-1: 'B. Jones' here" in out
    engine = make_engine(db)
    with engine.connect() as conn:
        officers = dict(conn.execute(text("SELECT reference, officer FROM cases")).all())
    engine.dispose()
    assert officers == {"C-1": "A. Smith", "C-2": "A. Smith"}


def test_no_note_when_every_row_agrees(tmp_path: Path, capsys) -> None:
    path = tmp_path / "team.csv"
    path.write_text(
        HEADER
        + "C-1,statutory,1,2024-01-10,Fostering,A. Smith,Delay,\n"
        + "C-1,statutory,2,2024-03-01,,A. Smith,,\n",
        encoding="utf-8",
    )
    assert run("--db", tmp_path / "a.sqlite3", *TODAY, "import", path) == 0
    assert "Note" not in capsys.readouterr().out
