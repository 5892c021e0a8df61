"""Backup, restore and copy: every row of every table arrives, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import stat
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session

from complaints_tui.cli import main
from complaints_tui.services import actions as a
from complaints_tui.services import demo, transfer
from complaints_tui.services.context import Context
from complaints_tui.services.lists import CaseFilter, open_listing
from db.engine import make_engine
from db.tables import Case, CaseChild, Officer
from tests.conftest import order_weeks_agree, stage_order_agrees

TODAY = "2026-11-23"


def populate(target: str) -> list[str]:
    """Demo data and one of everything an officer records; returns some references."""
    engine = make_engine(target)
    ctx = Context(engine, actor="J. Bennett", clock=lambda: date(2026, 11, 23))
    demo.fill(ctx, 300, seed=5)
    ref = a.log_case(
        ctx,
        procedure="statutory",
        received=date(2026, 11, 2),
        complainant_name="Siobhán O'Neill",
        child_statuses=["child_in_need", "send"],
        advocate="NYAS",
        themes=["Delay", "Communication"],
        summary="Assessment delayed; £ and ‘quotes’",
        officer="R. Okafor",
        matter_date=date(2026, 6, 1),
    ).reference
    other = a.log_case(ctx, procedure="lgsco", fixed_due=date(2026, 12, 18)).reference
    a.add_note(ctx, ref, "Phoned mum: line one\nline two")
    a.acknowledge(ctx, ref, on=date(2026, 11, 3))
    a.suspend(ctx, ref, reason="awaiting consent", start=date(2026, 11, 5))
    a.resume(ctx, ref, on=date(2026, 11, 9))
    a.respond(
        ctx,
        ref,
        outcome="partially_upheld",
        on=date(2026, 11, 20),
        remedies=[("payment", 250.0), ("apology", None)],
        learning=[("Remind teams of consent timescales", "Head of Service", date(2027, 1, 31))],
    )
    a.link(ctx, ref, other)
    a.add_learning_action(ctx, other, text="Check LGSCO tracker weekly", owner="Manager")
    with Session(engine) as session:
        case = session.get(Case, 1)
        assert case is not None
        session.add(CaseChild(case_id=case.id, name="Amelia", date_of_birth=date(2015, 3, 4)))
        # R. Okafor is on the team's list already (tests/conftest.py TEAM)
        session.add(Officer(name="P. Shah", active=False, left_on=date(2026, 9, 30)))
        session.commit()
    engine.dispose()
    return [ref, other, "CT-2026-00001", "CT-2025-00100", "CT-2024-00050"]


def every_row(target: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_engine(target)
    out = {}
    with engine.connect() as connection:
        for table in transfer.data_tables():
            rows = connection.execute(select(table).order_by(*table.primary_key.columns))
            out[table.name] = [tuple(row) for row in rows]
    engine.dispose()
    return out


def printed(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main([str(x) for x in argv]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def views(capsys: pytest.CaptureFixture[str], target: str, refs: list[str]) -> list[str]:
    base = ("--db", target, "--today", TODAY)
    shown = [printed(capsys, *base, "show", ref) for ref in refs]
    reports = [
        printed(capsys, *base, "report", "--year", str(year), "--format", "json")
        for year in (2024, 2025, 2026)
    ]
    return shown + reports


def due_order_agrees(target: str | Path) -> None:
    """A copy's due-order index holds every stage it should (filled by the copy): SQLite's
    ``stage_order``, PostgreSQL's cases' due weeks."""
    if "://" not in str(target):
        with sqlite3.connect(target) as connection:
            stage_order_agrees(connection)
        return
    engine = make_engine(target)
    with engine.connect() as connection:
        order_weeks_agree(connection)
    engine.dispose()


def test_copy_round_trips_every_row_and_every_view(
    tmp_path: Path, new_db: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite -> (this run's database: SQLite, or PostgreSQL) -> SQLite."""
    start = str(tmp_path / "start.sqlite3")
    refs = populate(start)
    middle = new_db("middle")
    end = str(tmp_path / "end.sqlite3")
    assert "Copied 302 case(s)" in printed(capsys, "--db", start, "copy", "--to", middle)
    printed(capsys, "--db", middle, "copy", "--to", end)
    original = every_row(start)
    assert every_row(middle) == original
    assert every_row(end) == original
    assert all(original[t] for t in ("case_children", "officers", "remedies", "case_links"))
    assert views(capsys, middle, refs) == views(capsys, start, refs)
    for target in (start, middle, end):
        due_order_agrees(target)
    # the copies can be searched like the original
    for target in (middle, end):
        engine = make_engine(target)
        found = open_listing(
            Context(engine, clock=lambda: date(2026, 11, 23)),
            CaseFilter(scope="all", search="O'Neill"),
        )
        engine.dispose()
        assert [r.reference for r in found.first] == [refs[0]]
    # ids were kept and the next id is past them: a new case logs cleanly on the copy
    out = printed(capsys, "--db", middle, "--today", TODAY, "log", "--procedure", "mp")
    assert "logged as" in out


def shape(target: str) -> dict[str, tuple[Any, ...]]:
    """Each table's indexes and foreign keys, by name and columns."""
    from sqlalchemy import inspect

    engine = make_engine(target)
    inspector = inspect(engine)
    out: dict[str, tuple[Any, ...]] = {}
    for table in transfer.data_tables():
        indexes = sorted(
            (i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table.name)
        )
        keys = sorted(
            (tuple(k["constrained_columns"]), k["referred_table"])
            for k in inspector.get_foreign_keys(table.name)
        )
        out[table.name] = (tuple(indexes), tuple(keys))
    engine.dispose()
    return out


def test_a_copy_that_fails_leaves_the_target_empty_with_its_indexes(
    tmp_path: Path, new_db: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    start = str(tmp_path / "start.sqlite3")
    populate(start)
    with sqlite3.connect(start) as connection:  # damaged: a remedy of a stage that is gone
        connection.execute("UPDATE remedies SET stage_id = 999999 WHERE id = 1")
    target = new_db("target")
    before = shape(target)
    assert any(keys for _indexes, keys in before.values())
    assert main(["--db", start, "copy", "--to", target]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not any(every_row(target).values())
    assert shape(target) == before


def test_copy_refuses_a_database_that_is_not_empty(
    tmp_path: Path, new_db: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    source = new_db("source")
    target = new_db("target")
    for db in (source, target):
        printed(capsys, "--db", db, "--today", TODAY, "log", "--procedure", "mp")
    before = every_row(target)
    assert main(["--db", source, "copy", "--to", target]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not empty (1 case(s)" in err[0]
    assert every_row(target) == before


def test_backup_is_consistent_owner_only_and_restores(
    tmp_path: Path,
    new_db: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # where PostgreSQL's replaced database is kept
    db = new_db("team")
    refs = populate(db)
    copy = tmp_path / "backups" / "monday.sqlite3"
    assert "Backed up 302 case(s)" in printed(capsys, "--db", db, "backup", copy)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    with sqlite3.connect(copy) as connection:  # one self-contained file
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert every_row(str(copy)) == every_row(db)

    # an officer keeps working; restore refuses to overwrite that without --replace
    printed(capsys, "--db", db, "--today", TODAY, "note", refs[0], "after the backup")
    after = every_row(db)
    assert main(["--db", db, "restore", str(copy)]) == 1
    assert "restore --replace" in capsys.readouterr().err
    assert every_row(db) == after
    out = printed(capsys, "--db", db, "restore", copy, "--replace")
    assert "the database as it was is saved at" in out
    kept = out.rsplit("saved at ", 1)[1].rstrip(".\n")
    assert every_row(db) == every_row(str(copy))
    assert every_row(kept) == after  # the replaced database, note and all
    due_order_agrees(copy)
    due_order_agrees(db)
    assert stat.S_IMODE(Path(kept).stat().st_mode) == 0o600

    # into an empty database, no --replace needed
    fresh = new_db("fresh")
    assert "Restored 302 case(s)" in printed(capsys, "--db", fresh, "restore", copy)
    assert every_row(fresh) == every_row(str(copy))
    due_order_agrees(fresh)


def test_a_sqlite_backup_while_officers_write_is_a_consistent_snapshot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "busy.sqlite3"
    ref = populate(str(db))[0]
    engine = make_engine(db)
    ctx = Context(engine, actor="Writer", clock=lambda: date(2026, 11, 23))
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            a.add_note(ctx, ref, "busy")

    writer = threading.Thread(target=write)
    writer.start()
    try:
        for n in range(3):
            copy = tmp_path / f"b{n}.sqlite3"
            printed(capsys, "--db", db, "backup", copy)
            with sqlite3.connect(copy) as connection:
                assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                notes = connection.execute(
                    "SELECT count(*) FROM events WHERE action = 'note'"
                ).fetchone()[0]
                versions = connection.execute(
                    "SELECT version FROM cases WHERE reference = ?", (ref,)
                ).fetchone()[0]
            # every note bumps the case's version in the same transaction: a copy caught
            # between the two would disagree
            assert notes >= 1
            assert versions - notes == every_baseline(db, ref)
    finally:
        stop.set()
        writer.join()
        engine.dispose()


def every_baseline(db: Path, ref: str) -> int:
    """The case's version less its notes: constant however many notes are added."""
    with sqlite3.connect(db) as connection:
        row = connection.execute(
            "SELECT c.version - (SELECT count(*) FROM events e WHERE e.case_id = c.id "
            "AND e.action = 'note') FROM cases c WHERE reference = ?",
            (ref,),
        ).fetchone()
    return row[0]


def test_restore_refuses_a_file_that_is_not_a_backup(
    tmp_path: Path, new_db: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    db = new_db("team")
    printed(capsys, "--db", db, "--today", TODAY, "log", "--procedure", "mp")
    before = every_row(db)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    assert main(["--db", db, "restore", str(junk), "--replace"]) == 1
    assert "not a SQLite database" in capsys.readouterr().err
    assert every_row(db) == before
