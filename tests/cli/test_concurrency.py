"""Several officers at once, from their own terminals: nobody's action fails or is lost.

Each officer is a thread running the command line with its own engine (its own
connections, as a separate program would have), released together by a barrier; one
test uses real separate processes.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from complaints_tui.cli import main
from db.engine import make_engine

TODAY = "2026-11-23"


def together(calls: list[Callable[[], int]]) -> list[int]:
    """Run the calls in threads released at the same moment; their exit codes."""
    barrier = threading.Barrier(len(calls))
    codes: list[int] = [-1] * len(calls)

    def officer(n: int) -> None:
        barrier.wait()
        codes[n] = calls[n]()

    threads = [threading.Thread(target=officer, args=(n,)) for n in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return codes


def cli(db: str, *argv: str) -> Callable[[], int]:
    return lambda: main(["--db", db, "--today", TODAY, *argv])


def scalar(db: str, sql: str) -> object:
    engine = make_engine(db)
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar()
    engine.dispose()
    return value


def test_twenty_pairs_of_officers_logging_at_the_same_moment(new_db, capsys) -> None:
    db = new_db()
    main(["--db", db, "--today", TODAY, "log", "--procedure", "mp"])  # the database exists
    capsys.readouterr()
    for _ in range(20):
        log = cli(db, "log", "--procedure", "statutory", "--summary", "same moment")
        assert together([log, log]) == [0, 0]
    out = capsys.readouterr()
    assert "UNIQUE" not in out.err and "duplicate" not in out.err
    refs = [line.rsplit(" ", 1)[1].rstrip(".") for line in out.out.splitlines() if "logged" in line]
    assert len(refs) == 40 and len(set(refs)) == 40
    assert scalar(db, "SELECT count(DISTINCT reference) FROM cases") == 41
    assert scalar(db, "SELECT max(reference) FROM cases") == "CT-2026-00041"


def test_fifty_notes_at_once_on_one_case_are_all_kept(new_db, capsys) -> None:
    db = new_db()
    main(["--db", db, "--today", TODAY, "log", "--procedure", "corporate"])
    notes = [cli(db, "note", "CT-2026-00001", f"note {n}") for n in range(50)]
    assert together(notes) == [0] * 50, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "changed by someone else" not in err and "since you opened it" not in err
    assert scalar(db, "SELECT count(*) FROM events WHERE action = 'note'") == 50
    assert scalar(db, "SELECT version FROM cases") == 51  # every note claimed the case once


def test_officers_act_on_one_case_at_once_without_conflicts(new_db, capsys) -> None:
    """Different actions on the same case from the command line: each applies to the case
    as the previous one left it; none reports a conflict."""
    db = new_db()
    main(
        [
            "--db",
            db,
            "--today",
            TODAY,
            "log",
            "--procedure",
            "statutory",
            "--received",
            "2026-11-02",
        ]
    )
    ref = "CT-2026-00001"
    calls = [
        cli(db, "acknowledge", ref, "--on", "2026-11-03"),
        cli(db, "assign", ref, "R. Okafor"),
        cli(db, "extend", ref, "--to", "20", "--reason", "complex"),
        cli(db, "note", ref, "spoke to mum"),
        cli(db, "suspend", ref, "--reason", "consent", "--from", "2026-11-10"),
    ]
    assert together(calls) == [0] * 5, capsys.readouterr().err
    assert scalar(db, "SELECT version FROM cases") == 6


def test_the_same_response_twice_names_who_responded_first(new_db, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COMPLAINTS_OFFICER", "A. Officer")
    db = new_db()
    main(
        [
            "--db",
            db,
            "--today",
            TODAY,
            "log",
            "--procedure",
            "corporate",
            "--received",
            "2026-11-02",
        ]
    )
    capsys.readouterr()
    respond = cli(db, "respond", "CT-2026-00001", "--outcome", "upheld", "--on", "2026-11-20")
    codes = together([respond, respond])
    assert sorted(codes) == [0, 1]
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    # what the other officer did, who, and when
    assert re.search(
        r"has no open stage \(last change A\. Officer: responded \(\w+\) "
        r"at \d\d:\d\d on \d\d/\d\d/\d{4}\)",
        err[0],
    ), err[0]
    assert "since you opened it" not in err[0]


def test_an_import_while_officers_log_cases(tmp_path: Path, new_db, capsys) -> None:
    db = new_db()
    main(["--db", db, "--today", TODAY, "log", "--procedure", "mp"])
    rows = ["reference,procedure,stage,received"] + [
        f"IMP-{n:05d},corporate,1,2026-0{1 + n % 9}-1{n % 10}" for n in range(3000)
    ]
    sheet = tmp_path / "team.csv"
    sheet.write_text("\n".join(rows) + "\n")
    calls = [cli(db, "import", str(sheet))] + [
        cli(db, "log", "--procedure", "statutory") for _ in range(8)
    ]
    assert together(calls) == [0] * 9, capsys.readouterr().err
    assert scalar(db, "SELECT count(*) FROM cases") == 1 + 3000 + 8
    assert scalar(db, "SELECT count(*) FROM stages") == 1 + 3000 + 8
    # and the ids handed out afterwards are still free
    assert main(["--db", db, "--today", TODAY, "log", "--procedure", "mp"]) == 0


def test_separate_programs_logging_at_once(new_db) -> None:
    db = new_db()
    main(["--db", db, "--today", TODAY, "log", "--procedure", "mp"])
    command = [sys.executable, "-m", "complaints_tui", "--db", db, "--today", TODAY]
    programs = [
        subprocess.Popen(
            [*command, "log", "--procedure", "corporate"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=120) for p in programs]
    assert [p.returncode for p in programs] == [0] * 4, [err for _, err in results]
    refs = {out.strip().rsplit(" ", 1)[1] for out, _ in results}
    assert len(refs) == 4
