"""Schema migrations: a team's database upgrades in place, with a backup, losing nothing.

``fixtures/schema1.sqlite3`` was made by the first release (commit e231fa6, schema 1):
``demo --cases 300 --seed 7`` with today fixed at 20/11/2026, then from its command line a
note, an acknowledgement, a clock stop, a response with a payment, an apology and a learning
action, an assignment, a link and a new case for "Siobhán O'Neill". The other fixtures are
what that release printed: its export and its 2025-26 report as JSON.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect

from complaints_tui.cli import main
from complaints_tui.domain.policy import Policy
from complaints_tui.services.context import Context
from db import search
from db.engine import DatabaseError, make_engine
from db.schema import SCHEMA_HEAD, known_revisions, schema_number
from tests.conftest import stage_order_agrees

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 11, 20)
SCHEMA_1_TABLES = (
    "cases",
    "stages",
    "suspensions",
    "remedies",
    "learning_actions",
    "events",
    "case_links",
    "case_themes",
)


def first_release_db(tmp_path: Path) -> Path:
    path = tmp_path / "team.sqlite3"
    shutil.copy(FIXTURES / "schema1.sqlite3", path)
    return path


def rows(path: Path, table: str, columns: list[str] | None = None) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as connection:
        names = columns or [r[1] for r in connection.execute(f"PRAGMA table_info({table})")]
        return connection.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY 1").fetchall()


def columns_of(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [r[1] for r in connection.execute(f"PRAGMA table_info({table})")]


def test_the_head_constant_is_the_newest_migration_and_the_chain_is_linear() -> None:
    revisions = known_revisions()
    assert revisions[0] == "0001_schema_1"
    assert revisions[-1] == SCHEMA_HEAD
    numbers = [schema_number(r) for r in revisions]
    # Increasing; a gap is a number given to a branch still to be merged.
    assert numbers == sorted(set(numbers))


def test_upgrading_an_empty_database_through_every_migration_gives_todays_schema(
    tmp_path: Path,
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from db.schema import upgrade

    migrated = make_engine(tmp_path / "migrated.sqlite3", create=False)
    with migrated.begin() as connection:
        upgrade(connection, "base")
    fresh = make_engine(tmp_path / "fresh.sqlite3")
    with migrated.connect() as connection:
        # The search index's own tables (FTS5's) are made by db/search.py, not the models.
        context = MigrationContext.configure(
            connection, opts={"include_name": search.not_index_table}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []

    def shape(engine: Any) -> dict[str, Any]:
        found = inspect(engine)
        return {
            table: (
                sorted(
                    (c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)
                ),
                sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in found.get_indexes(table)
                ),
            )
            for table in found.get_table_names()
        }

    assert shape(migrated) == shape(fresh)


def test_a_first_release_database_upgrades_in_place_with_a_backup_and_loses_nothing(
    tmp_path: Path,
) -> None:
    path = first_release_db(tmp_path)
    before = {table: rows(path, table) for table in SCHEMA_1_TABLES}
    old_columns = {table: columns_of(path, table) for table in SCHEMA_1_TABLES}
    assert len(before["cases"]) == 301 and len(before["events"]) == 12

    notices: list[str] = []
    engine = make_engine(path, notice=notices.append)
    engine.dispose()

    assert len(notices) == 1
    assert f"Upgraded {path} from schema 1 to schema {schema_number(SCHEMA_HEAD)}" in notices[0]
    backups = sorted(tmp_path.glob("team.before-schema-*.sqlite3"))
    assert len(backups) == 1 and str(backups[0]) in notices[0]
    assert backups[0].stat().st_mode & 0o777 == 0o600
    # the backup is the database exactly as it was: schema 1, every row
    assert dict(rows(backups[0], "meta"))["schema_version"] == "1"
    assert {t: rows(backups[0], t) for t in SCHEMA_1_TABLES} == before
    # the upgraded database keeps every row of every first-release column
    after = {t: rows(path, t, old_columns[t]) for t in SCHEMA_1_TABLES}
    assert after == before
    assert dict(rows(path, "meta"))["schema_version"] == str(schema_number(SCHEMA_HEAD))
    # the officers already named on cases start the managed list
    named = {r[0] for r in rows(path, "cases", ["officer"]) if r[0]}
    assert {r[0] for r in rows(path, "officers", ["name"])} == named

    # opening it again is quiet: nothing more to do
    again: list[str] = []
    make_engine(path, notice=again.append).dispose()
    assert again == []


def test_after_the_upgrade_the_export_and_the_report_figures_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = first_release_db(tmp_path)
    monkeypatch.setenv("COMPLAINTS_TODAY", TODAY.isoformat())
    exported = tmp_path / "export.csv"
    assert main(["--db", str(path), "export", str(exported)]) == 0
    assert "Upgraded" in capsys.readouterr().err

    with (FIXTURES / "schema1_export.csv").open(newline="", encoding="utf-8") as handle:
        old = list(csv.DictReader(handle))
    with exported.open(newline="", encoding="utf-8-sig") as handle:
        new = list(csv.DictReader(handle))
    assert len(new) == len(old) == 319
    for was, now in zip(old, new, strict=True):
        assert {k: now.get(k) for k in was} == was

    report = tmp_path / "report.json"
    args = ["--db", str(path), "report", "--year", "2025", "--format", "json"]
    assert main([*args, "--as-at", "2026-11-20", "--output", str(report)]) == 0
    old_report = json.loads((FIXTURES / "schema1_report_2025.json").read_text())
    new_report = json.loads(report.read_text())
    compared = 0
    for table_id in (
        "received_by_quarter",
        "received_by_month",
        "complainant_types",
        "channels",
        "themes",
        "remedies",
        "compliments_by_service",
        "duty_by_category",
        "outcomes_by_stage",
    ):
        was_table = next(t for t in old_report["tables"] if t["id"] == table_id)
        now_table = next(t for t in new_report["tables"] if t["id"] == table_id)
        now_rows = {r["key"]: r for r in now_table["rows"]}
        for was_row in was_table["rows"]:
            now_cells = now_rows[was_row["key"]]["cells"]
            for name, value in was_row["cells"].items():
                # issue 9: the council's outcome total no longer adds Ombudsman decisions
                if table_id == "outcomes_by_stage" and name == "total":
                    continue
                if name in now_cells:
                    assert now_cells[name] == value, (table_id, was_row["key"], name)
                    compared += 1
    assert compared > 100


def test_show_of_an_upgraded_case_keeps_what_the_first_release_showed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = first_release_db(tmp_path)
    monkeypatch.setenv("COMPLAINTS_TODAY", TODAY.isoformat())
    assert main(["--db", str(path), "show", "CT-2026-00072"]) == 0
    shown = capsys.readouterr().out
    before = (FIXTURES / "schema1_show_CT-2026-00072.txt").read_text()
    for line in before.split("Timeline")[0].splitlines():
        label = line.strip().split("  ")[0]
        if label in {"Complainant", "Name", "Child's status", "Officer", "Due", "Received"}:
            assert line.strip() in shown
    assert "Mother rang: wants a meeting before the response" in shown


def test_a_database_newer_than_the_program_is_refused_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.sqlite3"
    make_engine(path).dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999_future'")
    with pytest.raises(DatabaseError, match="newer than this program"):
        make_engine(path)
    assert main(["--db", str(path), "show", "CT-1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "install the newer complaints-tui" in err


@pytest.mark.parametrize("value", ["abc", "999", ""])
def test_an_unknown_first_release_schema_version_is_refused_with_one_line(
    tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = first_release_db(tmp_path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (value,))
    before = path.read_bytes()
    assert main(["--db", str(path), "show", "CT-2026-00072"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"schema version {value!r}" in err
    assert "Traceback" not in err
    assert path.read_bytes() == before


def test_a_database_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    with pytest.raises(DatabaseError, match="not a complaints database .*invoices"):
        make_engine(path)
    assert rows(path, "invoices") == []


def test_a_new_database_is_created_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    import os

    old = os.umask(0o000)
    try:
        path = tmp_path / "fresh" / "team.sqlite3"
        engine = make_engine(path)
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('x', 'y')")
        made = [path, path.with_name("team.sqlite3-wal"), path.with_name("team.sqlite3-shm")]
        modes = {p.name: p.stat().st_mode & 0o777 for p in made if p.exists()}
        engine.dispose()
    finally:
        os.umask(old)
    assert modes["team.sqlite3"] == 0o600 and set(modes.values()) == {0o600}
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_schema_changes_do_not_slow_an_up_to_date_open(tmp_path: Path) -> None:
    """Opening a current database must not load Alembic (it costs start-up time)."""
    import subprocess
    import sys

    path = tmp_path / "t.sqlite3"
    make_engine(path).dispose()
    code = (
        "import sys; from db.engine import make_engine; "
        f"make_engine({str(path)!r}).dispose(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_a_new_database_is_stamped_as_alembic_stamps_it_without_loading_alembic(
    tmp_path: Path,
) -> None:
    """A new file is created (and an import or demo into it run) without Alembic's start-up
    cost, and Alembic reads the version table so written as its own, at the head."""
    import subprocess
    import sys

    from alembic import command
    from alembic.migration import MigrationContext

    from db.schema import _alembic_config

    path = tmp_path / "new.sqlite3"
    code = (
        "import sys; from db.engine import make_engine; "
        f"make_engine({str(path)!r}).dispose(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr
    stamped = make_engine(tmp_path / "stamped.sqlite3", create=False)
    with stamped.begin() as connection:
        command.stamp(_alembic_config(connection), SCHEMA_HEAD)
    ours = make_engine(path)
    with ours.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == SCHEMA_HEAD
    version_sql = "SELECT sql FROM sqlite_master WHERE name LIKE 'alembic_version%' ORDER BY 1"
    with sqlite3.connect(path) as mine, sqlite3.connect(tmp_path / "stamped.sqlite3") as theirs:
        assert mine.execute(version_sql).fetchall() == theirs.execute(version_sql).fetchall()
        assert mine.execute("SELECT * FROM alembic_version").fetchall() == [(SCHEMA_HEAD,)]
    ours.dispose()
    stamped.dispose()


def test_the_upgraded_database_works_for_officer_actions(tmp_path: Path) -> None:
    from complaints_tui.services import actions

    path = first_release_db(tmp_path)
    ctx = Context(make_engine(path), policy=Policy(), clock=lambda: TODAY)
    done = actions.add_note(ctx, "CT-2026-00105", "Called Siobhán back.")
    assert "Note added" in done.message
    ctx.engine.dispose()


def test_the_upgrade_fills_the_stages_due_and_received_order_indexes(tmp_path: Path) -> None:
    from complaints_tui.services import lists as L

    path = first_release_db(tmp_path)
    ctx = Context(make_engine(path), policy=Policy(), clock=lambda: TODAY)
    f = L.CaseFilter(scope="all", search="ct-2")  # every case: a broad search
    listing = L.open_listing(ctx, f, limit=40, cap=40, drive=0)
    newest = L.open_listing(ctx, f.but(sort="received"), limit=40, cap=40, drive=0)
    ctx.engine.dispose()
    with sqlite3.connect(path) as connection:
        stage_order_agrees(connection)  # the index holds exactly every stage's text
        (indexed,) = connection.execute("SELECT count(*) FROM stage_order_rows").fetchone()
        (stages,) = connection.execute("SELECT count(*) FROM stages").fetchone()
        order = connection.execute(
            "SELECT id FROM stages WHERE status != 'voided' ORDER BY due IS NULL, due, id LIMIT 40"
        ).fetchall()
        (by_received,) = connection.execute("SELECT count(*) FROM stage_received_rows").fetchone()
        received = connection.execute(
            "SELECT id FROM stages WHERE status != 'voided' ORDER BY received DESC, id DESC "
            "LIMIT 40"
        ).fetchall()
    assert indexed == by_received == stages > 300
    assert listing.capped and newest.capped
    assert [r.stage_id for r in listing.first] == [i for (i,) in order]
    assert [r.stage_id for r in newest.first] == [i for (i,) in received]
