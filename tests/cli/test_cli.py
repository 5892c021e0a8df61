"""The command line: import/export round trip, refusal of bad files, actions, demo."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from complaints_tui.cli import main
from db.engine import make_engine

HEADER = (
    "reference,procedure,stage,received,responded,outcome,extended,division,service,"
    "complainant,channel,advocate,themes,summary"
)

GOOD = f"""{HEADER}
S-1,statutory,2,2023-01-16,,,no,Children in Care,CIC North,parent,email,,Delay,Stage 2 first in file
S-1,statutory,1,22/12/2022,09/01/2023,not_upheld,no,Children in Care,CIC North,parent,email,NYAS,Delay;Communication,Christmas 2022
C-1,corporate,1,2023-04-06,2023-04-25,upheld,yes,Early Help,Lichfield - Early Help,family,web,,Staff attitude,Easter 2023
M-1,mp,,2022-09-16,2022-09-30,,no,,MASH,,letter,,,Queen's funeral 19 Sep 2022
L-1,lgsco,,2023-05-05,2023-06-01,no_fault,no,,Fostering,,,,,Coronation 8 May 2023
F-1,foi,,2022-06-01,,,no,,,,,,,Jubilee 2 and 3 June 2022
K-1,compliment,,2023-02-01,,,no,,Through Care,,,,,"Thank you"
D-1,duty,,2023-03-01,,advice,no,,MASH,,,,,Advice given
"""

# Due dates counted by hand (day of receipt not counted):
EXPECTED_DUE = {
    # Thu 22 Dec 2022 + 10: 23 (1), 28, 29, 30 (4; 26 and 27 Dec holidays),
    # 3..6 Jan (8; 2 Jan holiday), 9 (9), 10 (10)
    ("S-1", "1"): "2023-01-10",
    # Mon 16 Jan 2023 + 25 working days -> Mon 20 Feb 2023
    ("S-1", "2"): "2023-02-20",
    # Thu 6 Apr 2023, extended to 20: Good Friday 7 Apr and Easter Monday 10 Apr skipped
    # 11,12,13,14 (4) 17-21 (9) 24-28 (14) 2,3,4,5 (18; 1 May bank holiday) 9 (19; 8 May
    # Coronation) 10 (20) -> Wed 10 May 2023
    ("C-1", "1"): "2023-05-10",
    # Fri 16 Sep 2022 + 10: 20..23 (4; 19th funeral), 26..30 (9), 3 Oct (10)
    ("M-1", ""): "2022-10-03",
    # Fri 5 May 2023 + 20: 9..12 (4; 8th Coronation), 15..19 (9), 22..26 (14),
    # 30, 31, 1, 2 (18; 29 May bank holiday), 5, 6 (20) -> Tue 6 Jun 2023
    ("L-1", ""): "2023-06-06",
    # Wed 1 Jun 2022 + 20: 6..10 (5; 2/3 Jun Jubilee), 13..17, 20..24, 27..1 Jul (20)
    ("F-1", ""): "2022-07-01",
    ("K-1", ""): "",
    # Wed 1 Mar 2023 + 2 -> Fri 3 Mar
    ("D-1", ""): "2023-03-03",
}


def write(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


def counts(db: str | Path) -> tuple[int, int]:
    engine = make_engine(db)
    with engine.connect() as conn:
        cases = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
        stages = conn.execute(text("SELECT count(*) FROM stages")).scalar_one()
    engine.dispose()
    return cases, stages


def test_import_then_export_gives_due_dates_to_the_day(tmp_path: Path, new_db, capsys) -> None:
    db = new_db("a")
    assert run("--db", db, "--today", "2026-11-23", "import", write(tmp_path / "in.csv", GOOD)) == 0
    assert "Imported 8 stage(s)" in capsys.readouterr().out
    out = tmp_path / "out.csv"
    assert run("--db", db, "--today", "2026-11-23", "export", out) == 0
    rows = read(out)
    assert {(r["reference"], r["stage"]): r["due"] for r in rows} == EXPECTED_DUE
    by_key = {(r["reference"], r["stage"]): r for r in rows}
    s1 = by_key[("S-1", "1")]
    assert (s1["working_days_taken"], s1["on_time"], s1["status"]) == ("9", "yes", "responded")
    assert s1["themes"] == "Delay;Communication" and s1["advocate"] == "NYAS"
    c1 = by_key[("C-1", "1")]
    assert (c1["extended"], c1["working_days_taken"], c1["on_time"]) == ("yes", "11", "yes")
    s2 = by_key[("S-1", "2")]
    assert (s2["status"], s2["on_time"]) == ("open", "no")  # open long past its due date
    assert by_key[("F-1", "")]["on_time"] == "no"
    assert by_key[("K-1", "")]["status"] == "closed"


def test_export_reimports_unchanged(tmp_path: Path, new_db) -> None:
    first, second = new_db("a"), tmp_path / "b.sqlite3"
    run("--db", first, "--today", "2026-11-23", "import", write(tmp_path / "in.csv", GOOD))
    run("--db", first, "--today", "2026-11-23", "export", tmp_path / "1.csv")
    assert run("--db", second, "--today", "2026-11-23", "import", tmp_path / "1.csv") == 0
    run("--db", second, "--today", "2026-11-23", "export", tmp_path / "2.csv")
    assert (tmp_path / "1.csv").read_text() == (tmp_path / "2.csv").read_text()


BAD = f"""{HEADER}
B-1,statutory,1,31/02/2024,,,no,,,,,,,
B-2,corporate,,2024-01-10,,,no,,,,,,,
B-3,nonsense,1,2024-01-10,,,no,,,,,,,
,mp,,2024-01-10,,,no,,,,,,,
B-4,statutory,4,2024-01-10,,,no,,,,,,,
B-5,corporate,1,2024-01-10,2024-01-05,partly,no,,,,,,,
S-1,statutory,1,2023-01-16,,,no,,,,,,,
B-6,mp,,2024-01-10,,,maybe,,,,,,,
B-7,corporate,1,2024-01-10,,,no,,,,,,,
B-7,corporate,1,2024-01-11,,,no,,,,,,,
"""


def test_a_bad_file_is_refused_whole_with_a_line_per_problem(
    tmp_path: Path, new_db, capsys
) -> None:
    db = new_db("a")
    run("--db", db, "--today", "2026-11-23", "import", write(tmp_path / "good.csv", GOOD))
    before = counts(db)
    capsys.readouterr()
    bad = write(tmp_path / "bad.csv", BAD)
    assert run("--db", db, "--today", "2026-11-23", "import", bad) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    expected = [
        "line 2, received: '31/02/2024' is an impossible date",
        "line 3, stage: missing stage (required for corporate)",
        "line 4, procedure: unknown procedure 'nonsense'",
        "line 5, reference: missing reference",
        "line 6, stage: stage '4' out of range (1 to 3)",
        "line 7, responded: responded 2024-01-05 is before received 2024-01-10",
        "line 7, outcome: unknown outcome 'partly'",
        "line 8, stage: S-1 statutory stage 1 is already in the database",
        "line 9, extended: 'maybe' is not yes or no",
        "line 11, stage: B-7 corporate stage 1 already appears on line 10",
    ]
    for problem in expected:
        assert f"bad.csv: {problem}" in err
    assert f"refused, {len(expected)} problem(s); nothing imported" in err
    assert counts(db) == before


def test_bad_header_and_missing_file(tmp_path: Path, new_db, capsys) -> None:
    db = new_db("a")
    bad = write(tmp_path / "h.csv", "reference,procedure,colour\nX,mp,red\n")
    assert run("--db", db, "import", bad) == 1
    err = capsys.readouterr().err
    assert "line 1, received: required column is missing" in err
    assert "line 1, colour: unknown column" in err
    assert run("--db", db, "import", tmp_path / "nope.csv") == 1
    assert "cannot read" in capsys.readouterr().err
    assert counts(db) == (0, 0)


def test_actions_from_the_command_line(tmp_path: Path, new_db, capsys) -> None:
    db = new_db("a")
    base = ("--db", db, "--today", "2026-11-23")
    assert (
        run(
            *base,
            "log",
            "--procedure",
            "statutory",
            "--received",
            "02/11/2026",
            "--service",
            "CIC North",
            "--theme",
            "Delay",
        )
        == 0
    )
    assert "logged as CT-2026-00001" in capsys.readouterr().out
    assert run(*base, "extend", "CT-2026-00001", "--to", "20", "--reason", "complex") == 0
    assert "due 30/11/2026" in capsys.readouterr().out
    assert run(*base, "extend", "CT-2026-00001", "--to", "30", "--reason", "more") == 1
    assert "at most 20" in capsys.readouterr().err
    assert (
        run(
            *base,
            "respond",
            "CT-2026-00001",
            "--outcome",
            "upheld",
            "--remedy",
            "payment:150",
            "--on",
            "2026-11-20",
        )
        == 0
    )
    assert run(*base, "escalate", "CT-2026-00001") == 0
    assert "Statutory 2 accepted, due 30/12/2026" in capsys.readouterr().out
    assert run(*base, "show", "CT-2026-00001") == 0
    shown = capsys.readouterr().out
    assert "Statutory 2" in shown and "Skipped 25/12/2026: Christmas Day" in shown
    assert "Payment £150.00" in shown
    assert run(*base, "note", "CT-2099-00001", "hello") == 1
    assert "No case with reference" in capsys.readouterr().err


def test_policy_file_is_used_and_unknown_keys_refused(tmp_path: Path, new_db, capsys) -> None:
    db = new_db("a")
    policy = write(tmp_path / "policy.toml", "[statutory]\nstage1 = 20\n")
    base = ("--db", db, "--today", "2026-11-23", "--policy", policy)
    run(*base, "log", "--procedure", "statutory", "--received", "02/11/2026")
    run(*base, "show", "CT-2026-00001")
    assert "Due                  30/11/2026" in capsys.readouterr().out
    write(policy, "[statutory]\nstage_one = 20\n")
    assert run(*base, "show", "CT-2026-00001") == 1
    assert "unknown key 'statutory.stage_one'" in capsys.readouterr().err


def test_demo_fills_only_an_empty_database(tmp_path: Path, new_db, capsys) -> None:
    db = new_db("a")
    assert run("--db", db, "--today", "2026-11-23", "demo", "--cases", "400", "--seed", "7") == 0
    assert counts(db)[0] == 400
    assert run("--db", db, "demo", "--cases", "10") == 1
    assert "demo data only goes into an empty database" in capsys.readouterr().err
    # the same seed gives the same data
    other = new_db("b")
    run("--db", other, "--today", "2026-11-23", "demo", "--cases", "400", "--seed", "7")
    run("--db", db, "--today", "2026-11-23", "export", tmp_path / "1.csv")
    run("--db", other, "--today", "2026-11-23", "export", tmp_path / "2.csv")
    assert (tmp_path / "1.csv").read_text() == (tmp_path / "2.csv").read_text()


def test_python_dash_m_works(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "complaints_tui", "--db", str(tmp_path / "x.sqlite3"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "import" in result.stdout


@pytest.mark.parametrize("today", ["2026-13-01", "yesterday"])
def test_bad_today_is_a_clear_error(tmp_path: Path, capsys, today: str) -> None:
    assert run("--db", tmp_path / "x.sqlite3", "--today", today, "show", "X") == 1
    assert "COMPLAINTS_TODAY" in capsys.readouterr().err


def test_demo_data_has_the_reported_mix(tmp_path: Path, new_db) -> None:
    db = new_db("a")
    run("--db", db, "--today", "2026-11-23", "demo", "--cases", "3000")
    engine = make_engine(db)
    with engine.connect() as conn:

        def scalar(sql: str) -> int:
            return conn.execute(text(sql)).scalar_one()

        s1 = scalar("SELECT count(*) FROM stages WHERE procedure='statutory' AND number=1")
        s2 = scalar("SELECT count(*) FROM stages WHERE procedure='statutory' AND number=2")
        answered = scalar(
            "SELECT count(*) FROM stages WHERE responded IS NOT NULL AND due IS NOT NULL"
        )
        on_time = scalar(
            "SELECT count(*) FROM stages WHERE responded IS NOT NULL AND responded <= due"
        )
        years = scalar("SELECT count(DISTINCT substr(reference, 4, 4)) FROM cases")
        open_due = [
            str(row[0])  # a date on PostgreSQL, its ISO text on SQLite
            for row in conn.execute(
                text("SELECT due FROM stages WHERE status='open' AND due IS NOT NULL")
            )
        ]
        untriaged = scalar(
            "SELECT count(*) FROM cases WHERE procedure='duty' AND duty_category IS NULL"
        )
    engine.dispose()
    assert 0 < s2 < 0.1 * s1
    assert 0.5 < on_time / answered < 0.7
    assert years == 3
    assert untriaged >= 5
    today = "2026-11-23"
    assert any(d < today for d in open_due) and today in open_due
    assert any(d > today for d in open_due)
    assert date.fromisoformat(max(open_due)) > date(2026, 11, 30)


LATER = f"""{HEADER.upper()}
Y-1,Statutory,1,24/12/2027,,,no,,,,,,,
Y-2,MP,,2019-04-17,2019-05-03,,no,,,Young person,In person,,,
Y-3,corporate,1,2027-03-26,2027-04-09,Partially upheld,no,,,,,,,
"""


def test_later_years_labels_and_dates_after_today(tmp_path: Path, new_db, capsys) -> None:
    db = new_db("a")
    assert run("--db", db, "--today", "2026-11-23", "import", write(tmp_path / "l.csv", LATER)) == 0
    out = capsys.readouterr().out
    assert "Imported 3 stage(s) of 3 case(s)" in out
    assert "Note: 2 row(s) have dates after today" in out
    run("--db", db, "--today", "2026-11-23", "export", tmp_path / "out.csv")
    rows = {r["reference"]: r for r in read(tmp_path / "out.csv")}
    # Fri 24 Dec 2027: 27 and 28 Dec are the Christmas and Boxing Day substitutes, 3 Jan 2028
    # the New Year one: 29, 30, 31 Dec (3), 4..7 Jan (7), 10, 11, 12 Jan (10)
    assert rows["Y-1"]["due"] == "2028-01-12"
    # Wed 17 Apr 2019: Good Friday 19 and Easter Monday 22 Apr skipped: 18 (1), 23..26 (5),
    # 29, 30 (7), 1, 2, 3 May (10)
    assert rows["Y-2"]["due"] == "2019-05-03"
    assert (rows["Y-2"]["complainant"], rows["Y-2"]["channel"]) == ("young_person", "in_person")
    # received on Good Friday 26 Mar 2027 (not counted); Easter Monday 29 Mar skipped:
    # 30, 31 Mar, 1, 2 Apr (4), 5..9 Apr (9), 12 Apr (10)
    assert rows["Y-3"]["due"] == "2027-04-12"
    assert (rows["Y-3"]["outcome"], rows["Y-3"]["working_days_taken"]) == ("partially_upheld", "9")


def test_show_never_passes_a_control_sequence_to_the_terminal(new_db, capsys) -> None:
    db = new_db("a")
    hostile = "Late\x1b[2J\x1b]0;owned\x07 reply\rDue 01/01/2020"
    base = ("--db", db, "--today", "2026-11-23")
    assert (
        run(
            *base,
            "log",
            "--procedure",
            "corporate",
            "--name",
            "Ann\u202eevil",
            "--summary",
            hostile,
        )
        == 0
    )
    assert run(*base, "note", "CT-2026-00001", "call\x1b[31m back") == 0
    capsys.readouterr()
    assert run(*base, "show", "CT-2026-00001") == 0
    shown = capsys.readouterr().out
    assert "\x1b" not in shown and "\r" not in shown and "\u202e" not in shown
    assert "Late␛[2J␛]0;owned␇ reply␍Due 01/01/2020" in shown
    assert "call␛[31m back" in shown and "Ann�evil" in shown


def test_find_lists_matching_cases_ignoring_accents(tmp_path: Path, capsys) -> None:
    args = ["--db", str(tmp_path / "c.sqlite3"), "--today", "2026-11-23"]
    log = [*args, "log", "--procedure", "statutory", "--received", "2026-11-02"]
    assert main([*log, "--reference", "S-1", "--name", "Siobhán Kelly", "--summary", "Delay"]) == 0
    assert main([*log, "--reference", "S-2", "--name", "Zoë Siobhan", "--summary", "Contact"]) == 0
    assert main([*log, "--reference", "S-3", "--name", "Sam Jones", "--summary", "Delay"]) == 0
    assert main([*args, "close", "S-1", "--reason", "Resolved"]) == 0
    capsys.readouterr()
    assert main([*args, "find", "SIOBHAN"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 cases match 'SIOBHAN':")
    assert "S-1" in out and "S-2" in out and "S-3" not in out  # closed S-1 included
    assert main([*args, "find", "siobhán", "delay"]) == 0
    out = capsys.readouterr().out
    assert "1 case match" in out and "S-1" in out and "S-2" not in out
    assert main([*args, "find", "nobody"]) == 0
    assert "No case matches 'nobody'." in capsys.readouterr().out
    assert main([*args, "find", "zo"]) == 1  # too short to search by: said, not guessed
    assert "three letters or more" in capsys.readouterr().out
