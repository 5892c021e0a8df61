"""`complaints-tui report`: arguments checked, one clear line for a mistake, exit codes."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.policy import Policy
from complaints_tui.report.cli import add_report_parser, run_report
from db.engine import make_engine

from . import scenario
from .test_service import store

TODAY = date(2024, 4, 10)


@pytest.fixture
def db(tmp_path: Path, calendar: WorkingCalendar) -> Iterator[Engine]:
    store(tmp_path / "t.sqlite3", scenario.facts(calendar))
    engine = make_engine(tmp_path / "t.sqlite3")
    yield engine
    engine.dispose()


def run(engine: Engine, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="complaints-tui")
    add_report_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["report", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = run_report(args, engine, Policy(), WorkingCalendar(), TODAY, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_text_to_the_screen(db: Engine) -> None:
    code, out, err = run(db, "--year", "2023")
    assert code == 0 and err == ""
    assert "annual report 2023-24" in out
    assert max(len(line) for line in out.splitlines()) <= 88


def test_year_as_written_in_reports(db: Engine) -> None:
    assert run(db, "--year", "2023-24")[1] == run(db, "--year", "2023/24")[1]


def test_json_to_a_file(db: Engine, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run(db, "--year", "2023", "--format", "json", "--output", str(target))
    assert code == 0
    assert str(target) in out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["as_at"] == "2024-04-10"


def test_html_suppressed(db: Engine, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    code, _, _ = run(
        db, "--year", "2023", "--format", "html", "-o", str(target), "--suppress-below", "5"
    )
    assert code == 0
    html = target.read_text(encoding="utf-8")
    assert "&lt;5" in html and "http" not in html


def test_pdf_to_a_file(db: Engine, tmp_path: Path) -> None:
    target = tmp_path / "r.pdf"
    code, out, err = run(db, "--year", "2023", "--format", "pdf", "-o", str(target))
    assert (code, err) == (0, "")
    assert target.read_bytes().startswith(b"%PDF")


def test_basis_and_procedure(db: Engine) -> None:
    code, out, _ = run(
        db, "--year", "2023", "--format", "json", "--basis", "concluded", "--procedure", "corporate"
    )
    assert code == 0
    data = json.loads(out)
    assert data["basis"] == "concluded"
    received = next(t for t in data["tables"] if t["id"] == "received_by_quarter")
    assert [c["key"] for c in received["columns"]] == ["corporate_1", "total"]
    # the year before is there for the comparisons, and the key figures come first
    assert data["previous"]["year"] == 2022
    assert data["tables"][0]["id"] == "key_figures"


def test_as_at(db: Engine) -> None:
    code, out, _ = run(db, "--year", "2023", "--format", "json", "--as-at", "01/03/2024")
    assert code == 0
    assert json.loads(out)["as_at"] == "2024-03-01"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--year", "twenty"], "is not a year"),
        (["--year", "2023-25"], "does not name one financial year"),
        (["--year", "2025"], "has not started yet"),
        (["--year", "2023", "--as-at", "2024-02-30"], "is not a date"),
        (["--year", "2023", "--as-at", "2025-01-01"], "is in the future"),
        (["--year", "2023", "--as-at", "2023-01-01"], "before 2023-24 starts"),
        (["--year", "2023", "--suppress-below", "five"], "not a whole number"),
        (["--year", "2023", "--suppress-below", "1"], "use 2 or more"),
        (["--year", "2023", "--format", "docx"], "not one of text, html, json, pdf"),
        (["--year", "2023", "--format", "pdf"], "name the file to write with --output"),
        (["--year", "2023", "--basis", "decided"], "not one of received, concluded"),
        (["--year", "2023", "--procedure", "statuatory"], "'statuatory' is not one of"),
    ],
)
def test_bad_input_is_one_clear_line(db: Engine, argv: list[str], message: str) -> None:
    code, out, err = run(db, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err
    assert "Traceback" not in err


def test_a_missing_folder_is_refused_not_made(db: Engine, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "r.txt"
    code, out, err = run(db, "--year", "2023", "--output", str(missing))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "cannot write" in err and "no such folder" in err
    assert not missing.parent.exists()


def test_default_year_is_the_last_complete_one(db: Engine) -> None:
    code, out, _ = run(db, "--format", "json")
    assert code == 0
    assert json.loads(out)["year"] == 2023  # 2023-24 ended on 31 March


def test_database_trouble_is_one_line(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "t.sqlite3")
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE learning_actions")
    code, _, err = run(engine, "--year", "2023")
    assert code == 1
    assert err.startswith("complaints-tui report: cannot read the database")
    assert err.count("\n") == 1


def test_the_ombudsman_letter_reconciled(tmp_path: Path, calendar: WorkingCalendar) -> None:
    from dataclasses import replace

    facts = scenario.facts(calendar)
    stages = [
        s._replace(ombudsman_reference="23 001 234") if s.procedure == "lgsco" else s
        for s in facts.stages
    ]
    store(tmp_path / "l.sqlite3", replace(facts, stages=stages))
    engine = make_engine(tmp_path / "l.sqlite3")
    letter = tmp_path / "letter.toml"
    letter.write_text(
        'year = "2023-24"\n'
        "[decisions]\nno_fault = 1\npremature = 1\n"
        "[compliance]\nrecommendations = 2\ncomplied = 2\n"
        '[[case]]\nreference = "23  001 234"\ndecision = "no_fault"\n'
        '[[case]]\nreference = "23 009 999"\ndecision = "premature"\n',
        encoding="utf-8",
    )
    code, out, err = run(
        engine, "--year", "2023", "--format", "json", "--lgsco-letter", str(letter)
    )
    engine.dispose()
    assert (code, err) == (0, "")
    tables = {t["id"]: t for t in json.loads(out)["tables"]}
    figures = {r["key"]: r["cells"] for r in tables["lgsco_letter"]["rows"]}
    assert figures["fault_injustice"] == {"letter": 0, "records": 1, "difference": 1}
    assert figures["no_fault"] == {"letter": 1, "records": 0, "difference": -1}
    assert figures["total"] == {"letter": 2, "records": 1, "difference": -1}
    # the cases the two disagree on, named
    cases = {r["label"]: r["cells"] for r in tables["lgsco_letter_cases"]["rows"]}
    assert cases["23 001 234"]["letter"] == "No fault"
    assert cases["23 001 234"]["records"] == "Fault causing injustice"
    assert cases["23 009 999"] == {
        "case": "not in our records",
        "records": "-",
        "letter": "Premature",
    }


def test_a_bad_letter_is_one_line(db: Engine, tmp_path: Path) -> None:
    letter = tmp_path / "letter.toml"
    letter.write_text("[decisions]\nfault = 1\n", encoding="utf-8")
    code, out, err = run(db, "--year", "2023", "--lgsco-letter", str(letter))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "decisions.fault is not an Ombudsman decision" in err


def test_the_letter_entered_on_the_screen_is_in_the_report_unless_a_file_is_given(
    db: Engine, tmp_path: Path
) -> None:
    from sqlalchemy import func, select

    from complaints_tui.services.context import Context
    from complaints_tui.services.report_letters import save_letter
    from db.tables import LgscoLetter

    def letter_figures(*argv: str) -> dict[str, dict[str, int]]:
        code, out, err = run(db, "--year", "2023", "--format", "json", *argv)
        assert (code, err) == (0, "")
        tables = {t["id"]: t for t in json.loads(out)["tables"]}
        return {r["key"]: r["cells"] for r in tables["lgsco_letter"]["rows"]}

    code, out, _ = run(db, "--year", "2023", "--format", "json")
    assert "lgsco_letter" not in {t["id"] for t in json.loads(out)["tables"]}
    ctx = Context(db, actor="A. Officer")
    save_letter(ctx, 2023, {"premature": 4, "no_fault": 1})
    save_letter(ctx, 2023, {"premature": 2, "no_fault": 1, "recommendations": 1, "complied": 1})
    figures = letter_figures()
    assert figures["premature"]["letter"] == 2  # the newest entry is the letter
    assert figures["total"]["letter"] == 3
    with db.connect() as conn:  # the earlier entry is kept, not overwritten
        assert conn.execute(select(func.count()).select_from(LgscoLetter)).scalar() == 2
    letter = tmp_path / "letter.toml"
    letter.write_text("[decisions]\npremature = 7\n", encoding="utf-8")
    assert letter_figures("--lgsco-letter", str(letter))["premature"]["letter"] == 7
