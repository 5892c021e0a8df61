"""The one place an engine is built: from a SQLite path or an SQLAlchemy URL."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

from . import search  # noqa: F401  (registers the search index's DDL and flush hook)
from .backup import online_backup
from .integrity import check_file, quick_check, vouch_after_close
from .schema import DatabaseError, backup_name, open_schema

__all__ = [
    "DatabaseError",
    "close_engine",
    "database_url",
    "is_new_sqlite",
    "make_engine",
    "shown_url",
    "transaction",
]

POSTGRES_DRIVER_HINT = (
    "PostgreSQL needs its driver: pip install 'complaints-tui[postgres]' (psycopg 3)."
)

# Plain PostgreSQL URLs, as psql and every other tool takes them, go through psycopg 3:
# SQLAlchemy would otherwise look for psycopg2, which we do not install.
_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def database_url(target: str | Path) -> str:
    """A SQLite file path becomes a sqlite URL; a URL is kept as it is (a plain
    ``postgresql://`` one is given psycopg 3, the driver we install)."""
    text = str(target)
    for scheme in _POSTGRES_SCHEMES:
        if text.startswith(scheme):
            return "postgresql+psycopg://" + text[len(scheme) :]
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser()}"


def shown_url(target: str | Path) -> str:
    """``target`` as it may be printed: a URL's password is masked, a path kept as typed.

    Whatever the program prints (notices, errors, the status line) names a database
    through this, so a password typed into ``--db`` never reaches a screen or a log.
    """
    text = str(target)
    if "://" not in text:
        return text
    try:
        return make_url(database_url(text)).render_as_string(hide_password=True)
    except Exception:  # an unparseable URL: show its scheme only, never what follows
        return text.split("://", 1)[0] + "://..."


def is_new_sqlite(target: str | Path) -> bool:
    """True when ``target`` is a SQLite file that does not exist yet."""
    url = make_url(database_url(target))
    if url.get_backend_name() != "sqlite" or not url.database:
        return False
    return not Path(url.database).exists()


@lru_cache(maxsize=256)  # a bulk insert stamps 100,000s of rows with the same moment
def _sqlite_datetime(value: datetime) -> str:
    """A timestamp as SQLAlchemy's SQLite DateTime stores it (UTC, no offset)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


# For the bulk path (db.repo.bulk_insert), which hands values to sqlite3 directly. Every
# other path goes through SQLAlchemy's types and never reaches these adapters.
sqlite3.register_adapter(date, date.isoformat)
sqlite3.register_adapter(datetime, _sqlite_datetime)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(
    target: str | Path,
    *,
    create: bool = True,
    notice: Callable[[str], None] | None = None,
) -> Engine:
    """An engine on ``target``, its database checked and ready (created or upgraded).

    ``create=False`` builds the engine only. ``notice`` receives the one line saying an
    older database was upgraded (and where its backup is).
    """
    url = database_url(target)
    sqlite = url.startswith("sqlite")
    try:
        parsed = make_url(url)
    except Exception:
        raise DatabaseError(f"{shown_url(target)} is not a database URL or file.") from None
    path = Path(parsed.database or "") if sqlite else None
    created = False
    if path and path.name:
        check_file(path)
        created = create and _create_private(path)
    try:
        engine = create_engine(
            parsed,
            # several officers' programs share a SQLite file: a writer waits its turn
            # (up to 30 s) instead of failing while another's transaction commits
            connect_args={"check_same_thread": False, "timeout": 30} if sqlite else {},
            # a connection dropped by the server (restart, idle timeout) is replaced
            # rather than failing the officer's next action
            pool_pre_ping=not sqlite,
        )
    except ImportError:
        if parsed.get_backend_name() == "postgresql":
            raise DatabaseError(POSTGRES_DRIVER_HINT) from None
        raise DatabaseError(f"No driver for {shown_url(target)}.") from None
    except Exception as exc:  # an unknown dialect, a bad option
        raise DatabaseError(f"Cannot use {shown_url(target)}: {exc}") from None
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    if create:
        if not sqlite:
            _check_reachable(engine, target)
        try:
            if path and path.name and not created:
                with engine.connect() as connection:
                    quick_check(connection, path)
            open_schema(
                engine,
                name=str(path) if path and path.name else "the database",
                notice=notice,
                backup=_backup_beside(engine, path) if path and path.name else None,
            )
        except BaseException:
            engine.dispose()
            if created and path and path.stat().st_size == 0:
                path.unlink()  # nothing was written: leave no empty file to be refused later
            raise
    return engine


def close_engine(engine: Engine) -> None:
    """Close every connection (SQLite then checkpoints its -wal file) and vouch for the file."""
    engine.dispose()
    if engine.dialect.name == "sqlite" and engine.url.database:
        vouch_after_close(Path(engine.url.database))


def _check_reachable(engine: Engine, target: str | Path) -> None:
    """One line naming the server (password masked) when it cannot be reached."""
    try:
        with engine.connect():
            pass
    except Exception as exc:
        engine.dispose()
        lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        reason = " ".join(line.strip() for line in lines) or type(exc).__name__
        raise DatabaseError(f"Cannot connect to {shown_url(target)}: {reason}") from None


def _create_private(path: Path) -> bool:
    """Create a new database file (and folder) readable by its owner only, whatever the
    umask; SQLite gives the ``-wal`` and ``-shm`` files the database file's permissions.
    True when this call created it."""
    if path.exists():
        return False
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:  # O_EXCL: never truncate a file another process has just created
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    os.chmod(path, 0o600)
    return True


def _backup_beside(engine: Engine, path: Path) -> Callable[[str], Path]:
    def backup(label: str) -> Path:
        destination = backup_name(path, label, datetime.now())
        online_backup(engine, destination)
        return destination

    return backup


CHANGES_KEY = "changes"
"""meta row counting committed changes: open screens poll it to follow colleagues."""


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One officer action: commit on success, roll back everything on any error.

    On SQLite the write lock is taken first (``BEGIN IMMEDIATE``), so the action reads
    the database as the last officer left it and two actions never interleave; a second
    officer's action waits for the first to commit. (PostgreSQL actions lock the case's
    row instead, see ``db.repo.get_case``.)
    """
    with Session(engine, expire_on_commit=False) as session:
        try:
            if engine.dialect.name == "sqlite":
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session
            session.flush()
            if session.info.get("wrote"):
                count_change(session)
            session.commit()
        except BaseException:
            session.rollback()
            raise


def count_change(session: Session) -> None:
    """Move the change counter on, in the transaction that made the change."""
    connection = session.connection()
    bumped = connection.exec_driver_sql(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR(20)) "
        f"WHERE key = '{CHANGES_KEY}'"
    )
    if not bumped.rowcount:
        connection.exec_driver_sql(
            f"INSERT INTO meta (key, value) VALUES ('{CHANGES_KEY}', '1') "
            "ON CONFLICT (key) DO NOTHING"
        )


def change_count(connection: Connection) -> str:
    """The change counter as it stands: differs from the last reading when anyone has
    committed a change since (a primary-key read: cheap enough to poll every second)."""
    value = connection.exec_driver_sql(
        f"SELECT value FROM meta WHERE key = '{CHANGES_KEY}'"
    ).scalar()
    return str(value or "0")


def _mark_written(session: Session, flush_context: object) -> None:
    session.info["wrote"] = True


event.listen(Session, "after_flush", _mark_written)
