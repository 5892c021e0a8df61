"""The one place an engine is built: from a SQLite path or an SQLAlchemy URL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, event, select
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, create_engine

from . import search, tables
from .tables import SCHEMA_VERSION, Meta


class DatabaseError(Exception):
    """The database cannot be used (wrong schema version, unreachable)."""


def database_url(target: str | Path) -> str:
    """A SQLite file path becomes a sqlite URL; a URL is kept as it is."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser()}"


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


def make_engine(target: str | Path, *, create: bool = True) -> Engine:
    """An engine on ``target``; creates the schema when the database is empty."""
    url = database_url(target)
    sqlite = url.startswith("sqlite")
    if sqlite:
        path = make_url(url).database
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False} if sqlite else {})
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    if create:
        init_schema(engine)
    return engine


def init_schema(engine: Engine) -> None:
    """Create missing tables and check the schema version."""
    assert tables and search  # the imports register the tables and the search index
    SQLModel.metadata.create_all(engine)
    # create_all skips the indexes of tables that already exist: add any missing ones, so
    # a database made by an earlier version gets the indexes the lists rely on.
    with engine.begin() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for index in table.indexes:
                index.create(connection, checkfirst=True)
    with Session(engine) as session:
        row = session.exec(select(Meta).where(Meta.key == "schema_version")).first()
        if row is None:
            session.add(Meta(key="schema_version", value=str(SCHEMA_VERSION)))
            session.commit()
        elif int(row[0].value) != SCHEMA_VERSION:
            raise DatabaseError(
                f"database schema version {row[0].value}, this program needs {SCHEMA_VERSION}"
            )


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One officer action: commit on success, roll back everything on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
