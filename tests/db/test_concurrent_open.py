"""Two officers' programs opening a database at the same moment: one creates or upgrades it,
the other waits its turn and finds the work done. Nothing fails, one backup is written."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from db.backup import online_backup
from db.engine import make_engine
from db.schema import SCHEMA_HEAD, create_fresh, open_schema, schema_number
from db.schema_lock import schema_lock
from tests.db.test_migrations import SCHEMA_1_TABLES, columns_of, first_release_db, rows


def _eventually(check: Callable[[], bool], seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


class Opener(threading.Thread):
    """``open_schema`` run as another program would, keeping what it said and raised."""

    def __init__(self, engine: Any, backup: Callable[[str], Path | None] | None = None) -> None:
        super().__init__(daemon=True)
        self.engine, self.backup = engine, backup
        self.notices: list[str] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            open_schema(self.engine, name="team", notice=self.notices.append, backup=self.backup)
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.error = exc


def test_two_programs_opening_an_older_database_at_once_upgrade_it_once(tmp_path: Path) -> None:
    path = first_release_db(tmp_path)
    before = {table: rows(path, table) for table in SCHEMA_1_TABLES}
    first, second = make_engine(path, create=False), make_engine(path, create=False)
    backing_up, go_on = threading.Event(), threading.Event()
    copy = tmp_path / "as-it-was.sqlite3"

    def slow_backup(_label: str) -> Path:
        backing_up.set()
        assert go_on.wait(30)
        online_backup(first, copy)
        return copy

    second_backups: list[str] = []
    upgrading = Opener(first, slow_backup)
    upgrading.start()
    assert backing_up.wait(30)
    waiting = Opener(second, lambda label: second_backups.append(label) or None)
    waiting.start()
    # The second program says it is waiting, and does nothing while the first works.
    assert _eventually(lambda: bool(waiting.notices))
    assert waiting.notices == [
        "Waiting for team: another program is upgrading it or writing to it."
    ]
    go_on.set()
    upgrading.join(60)
    waiting.join(60)
    first.dispose()
    second.dispose()

    assert upgrading.error is None and waiting.error is None
    assert upgrading.notices == [
        f"Upgraded team from schema 1 to schema {schema_number(SCHEMA_HEAD)}; "
        f"the database as it was is saved at {copy}."
    ]
    assert len(waiting.notices) == 1 and second_backups == []
    # One backup, of the database exactly as it was; the database upgraded once, whole.
    assert dict(rows(copy, "meta"))["schema_version"] == "1"
    assert {t: rows(copy, t) for t in SCHEMA_1_TABLES} == before
    assert rows(path, "alembic_version") == [(SCHEMA_HEAD,)]
    assert len(rows(path, "cases")) == len(before["cases"])


def test_two_programs_creating_a_new_database_at_once_create_it_once(
    new_db: Callable[..., str],
) -> None:
    target = new_db()
    other, ours = make_engine(target, create=False), make_engine(target, create=False)
    # Another program has taken the lock to create the database; ours opens meanwhile.
    with schema_lock(other, "team") as connection:
        opening = Opener(ours)
        opening.start()
        assert _eventually(lambda: bool(opening.notices))
        create_fresh(connection)
    opening.join(60)
    assert opening.error is None
    assert opening.notices == [
        "Waiting for team: another program is upgrading it or writing to it."
    ]
    with ours.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert versions == [(SCHEMA_HEAD,)]
    other.dispose()
    ours.dispose()


def test_two_commands_started_together_on_an_older_file_both_work(tmp_path: Path) -> None:
    path = first_release_db(tmp_path)
    env = {**os.environ, "COMPLAINTS_TODAY": "2026-11-20"}
    commands = [
        subprocess.Popen(
            [sys.executable, "-m", "complaints_tui", "--db", str(path), "show", "CT-2026-00072"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    results = [(c.wait(120), *c.communicate()) for c in commands]
    for code, out, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "CT-2026-00072" in out
    said = "".join(err for _code, _out, err in results)
    assert said.count("Upgraded") == 1
    assert len(list(tmp_path.glob("team.before-schema-*.sqlite3"))) == 1


def test_an_upgrade_that_fails_part_way_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: Any
) -> None:
    import db.schema

    path = first_release_db(tmp_path)
    before = {table: columns_of(path, table) for table in SCHEMA_1_TABLES}

    def power_cut(_connection: Any) -> None:  # after every migration has run
        raise OSError("the disk was pulled out")

    monkeypatch.setattr(db.schema, "_record_version", power_cut)
    engine = make_engine(path, create=False)
    with pytest.raises(OSError, match="pulled out"):
        open_schema(engine, name="team")
    engine.dispose()
    # One transaction: no table, column or schema record of the upgrade was kept.
    assert {t: columns_of(path, t) for t in SCHEMA_1_TABLES} == before
    assert dict(rows(path, "meta"))["schema_version"] == "1"
    with sqlite3.connect(path) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    assert "alembic_version" not in tables and "officers" not in tables
