"""SQLite's online backup: a consistent copy while other officers keep working.

A file copy of the database misses whatever is still in its ``-wal`` file and can catch a
page half-written; the backup API copies a snapshot through SQLite itself.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine

FILE_MODE = 0o600


def sqlite_file(engine: Engine) -> Path | None:
    """The file behind a SQLite engine (None for PostgreSQL or an in-memory database)."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    if engine.url.database == ":memory:":
        return None
    return Path(engine.url.database)


def online_backup(engine: Engine, destination: Path) -> None:
    """Write a consistent, self-contained copy of ``engine``'s database to ``destination``.

    The copy is written beside the destination and renamed into place, owner-only, in the
    rollback-journal mode so that it is one file that can be moved on its own.
    """
    partial = destination.with_name(f".{destination.name}.part")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(descriptor)
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
            target.commit()
        finally:
            target.close()
        os.chmod(partial, FILE_MODE)
        os.replace(partial, destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        raw.close()


def restore_into(source: Path, engine: Engine) -> None:
    """Copy the database in ``source`` over ``engine``'s, through SQLite's backup API.

    Other connections see the restored database as soon as this commits; no file is
    swapped under them.
    """
    raw = engine.raw_connection()
    try:
        target = raw.driver_connection
        assert isinstance(target, sqlite3.Connection)
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            origin.backup(target)
        finally:
            origin.close()
    finally:
        raw.close()
