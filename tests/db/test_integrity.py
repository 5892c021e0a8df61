"""A damaged database file is refused when opened, with one line naming the restore command,
never opened as a new empty database or written into."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from complaints_tui.cli import main
from db.engine import DatabaseError, make_engine

FIXTURE = Path(__file__).parent / "fixtures" / "schema1.sqlite3"


def team_db(tmp_path: Path) -> Path:
    path = tmp_path / "team.sqlite3"
    shutil.copy(FIXTURE, path)
    make_engine(path).dispose()  # upgraded, checked and found sound once
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def refused(path: Path, capsys: pytest.CaptureFixture[str], words: str) -> None:
    before = path.read_bytes()
    assert main(["--db", str(path), "note", "CT-2026-00072", "hello"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert words in err and "complaints-tui restore" in err
    assert path.read_bytes() == before


def test_a_zero_byte_file_is_refused_not_opened_as_a_new_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "team.sqlite3"
    path.touch()
    refused(path, capsys, "empty (0 bytes)")


def test_a_file_that_is_not_sqlite_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "team.sqlite3"
    path.write_text("reference,procedure\nCT-1,statutory\n" * 50)
    refused(path, capsys, "not a SQLite database")


def test_a_truncated_copy_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = team_db(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    refused(path, capsys, "truncated")


def test_garbage_inside_is_found_by_sqlites_own_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = team_db(tmp_path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for number in range(3, len(data) // page - 1, 7):  # scribble over every 7th page
        data[number * page + 10 : number * page + 400] = b"\xa5" * 390
    path.write_bytes(bytes(data))
    refused(path, capsys, "is damaged")
    with pytest.raises(DatabaseError, match="damaged"):
        make_engine(path)


def test_a_sound_database_is_checked_again_only_after_it_changed(tmp_path: Path) -> None:
    path = team_db(tmp_path)
    make_engine(path).dispose()  # the checkpoint changed the file: checked again
    stamp = path.with_name(".team.sqlite3.checked")
    assert stamp.exists() and stamp.stat().st_mode & 0o777 == 0o600
    recorded = stamp.read_text()
    make_engine(path).dispose()
    assert stamp.read_text() == recorded
