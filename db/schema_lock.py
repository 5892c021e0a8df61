"""The schema lock: one program at a time creates or upgrades a database.

SQLite: the file's write lock, taken with ``BEGIN IMMEDIATE``, so the upgrade is also one
transaction (Python's sqlite3 would otherwise run each DDL statement on its own). Readers
carry on meanwhile, which lets the backup copy the database as it was. PostgreSQL: a
transaction-scoped advisory lock; its DDL is transactional anyway.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from .errors import DatabaseError

SCHEMA_LOCK_KEY = 0x636F6D706C61
"""Any fixed number the team's programs share ("compla"). It is the PostgreSQL database's:
two schemas of one database take turns to upgrade, which costs only a wait."""
PATIENCE_MS = 1_000
"""How long a program waits quietly before saying it is waiting."""
WAIT_MS = 15 * 60 * 1_000
"""How long it then waits: a million stages upgrade in about 30 s on a laptop."""


@contextmanager
def schema_lock(
    engine: Engine, name: str, notice: Callable[[str], None] | None = None
) -> Iterator[Connection]:
    """A connection holding the schema lock in a transaction committed on leaving (rolled
    back on an exception). ``notice`` is told once if another program makes it wait."""
    waiting = f"Waiting for {name}: another program is upgrading it or writing to it."
    gave_up = DatabaseError(
        f"{name} was kept locked by another program for {WAIT_MS // 60_000} minutes: "
        "try again when it has finished."
    )

    def told() -> None:
        if notice:
            notice(waiting)

    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            _sqlite_write_lock(connection, told, gave_up)
        else:
            _advisory_lock(connection, told, gave_up)
        try:
            yield connection
        except BaseException:
            connection.rollback()
            raise
        connection.commit()


def _sqlite_write_lock(
    connection: Connection, told: Callable[[], None], gave_up: DatabaseError
) -> None:
    usual = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()

    def begin(wait_ms: int) -> bool:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {wait_ms}")
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except OperationalError as exc:
            if not _locked(exc):
                raise
            connection.rollback()
            return False
        return True

    try:
        if not begin(PATIENCE_MS):
            told()
            if not begin(WAIT_MS):
                raise gave_up
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(usual or 0)}")


def _locked(exc: OperationalError) -> bool:
    orig = exc.orig
    return isinstance(orig, sqlite3.OperationalError) and "locked" in str(orig)


def _advisory_lock(
    connection: Connection, told: Callable[[], None], gave_up: DatabaseError
) -> None:
    key = {"key": SCHEMA_LOCK_KEY}
    if connection.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), key).scalar():
        return
    told()
    connection.execute(text(f"SET LOCAL lock_timeout = {WAIT_MS}"))
    try:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), key)
    except OperationalError as exc:
        if "lock timeout" not in str(exc.orig):
            raise
        raise gave_up from None
