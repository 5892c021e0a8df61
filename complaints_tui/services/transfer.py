"""Backup, restore and a lossless copy to another database (SQLite or PostgreSQL).

A backup of a SQLite database goes through SQLite's online backup API: a consistent
snapshot while other officers keep working. A copy moves every row of every table, ids
kept, a chunk at a time: the source is read in one snapshot, the target written in one
transaction, so the target ends either complete or as empty as it was. PostgreSQL is
written by COPY, its indexes and foreign keys built after the rows (``db.bulk``).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

from complaints_tui.domain.errors import DomainError
from db import bulk, search_order, search_weeks, tables
from db.backup import online_backup, restore_into, sqlite_file
from db.engine import make_engine, shown_url
from db.schema import DatabaseError, backup_name

from .context import Context
from .files import private_dir

CHUNK = 5000
"""Rows per read and per insert: memory stays bounded whatever the database's size."""

SKIPPED = {"meta"}
"""Tables whose rows say what the database is rather than what the team recorded: a new
database has its own; the copy brings the policy fingerprints across separately."""


@dataclass(frozen=True)
class Moved:
    """What a backup, restore or copy did, in words for the officer."""

    message: str
    rows: dict[str, int]


def data_tables() -> list[Table]:
    """Every table of ours, parents before children (so foreign keys hold as rows arrive)."""
    assert tables  # the import registers the tables on SQLModel.metadata
    return [t for t in SQLModel.metadata.sorted_tables if t.name not in SKIPPED]


def row_counts(connection: Connection) -> dict[str, int]:
    return {
        t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
        for t in data_tables()
    }


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return not any(row_counts(connection).values())


def _refuse_unless_empty(engine: Engine, name: str, hint: str) -> None:
    with engine.connect() as connection:
        counts = row_counts(connection)
    if any(counts.values()):
        raise DomainError(
            f"{name} is not empty ({counts['cases']:,} case(s), "
            f"{sum(counts.values()):,} row(s) in all): {hint}"
        )


def _snapshot(engine: Engine) -> Connection:
    """A connection reading the whole source as of one moment (others may be writing):
    PostgreSQL's repeatable read; on SQLite in WAL mode every read transaction is one."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection = connection.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    else:
        # The driver begins no transaction for a SELECT: without this each table would
        # be read as of its own moment.
        connection.exec_driver_sql("BEGIN")
    return connection


def copy_rows(
    source: Engine,
    target: Engine,
    *,
    clear: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Copy every row of every table from ``source`` into ``target`` in ``CHUNK``-row
    pieces, in one transaction of the target (emptied first when ``clear``); returns the
    row count per table."""
    try:
        return _copy_rows(source, target, clear, progress)
    except (SQLAlchemyError, DatabaseError) as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines() or [repr(exc)]
        raise DomainError(f"Nothing was written: {detail[0]}") from exc


def _copy_rows(
    source: Engine,
    target: Engine,
    clear: bool,
    progress: Callable[[str, int], None] | None,
) -> dict[str, int]:
    copied: dict[str, int] = {}
    with (
        _snapshot(source) as reading,
        target.begin() as writing,
        # SQLite's due-order index takes every stage in one pass once they are in, and
        # PostgreSQL's cases their due weeks.
        search_order.bulk(writing, emptied=clear),
        search_weeks.bulk(writing, emptied=clear),
    ):
        if clear:
            for table in reversed(data_tables()):  # children before parents
                writing.execute(table.delete())
        # PostgreSQL takes the rows by COPY, its indexes built once they are all in.
        postgres = writing.dialect.name == "postgresql"
        with bulk.indexes_set_aside(writing, data_tables()) if postgres else nullcontext():
            for table in data_tables():
                count = 0
                for chunk in _chunks(reading, table, raw=postgres):
                    if postgres:
                        bulk.copy_in(writing, table, chunk)
                    else:
                        writing.execute(insert(table), [dict(row._mapping) for row in chunk])
                    count += len(chunk)
                    if progress:
                        progress(table.name, count)
                copied[table.name] = count
        # The policy the clocks were stored under, and the one the stages' rule columns
        # were (services.stage_days): the rows came across as they were worked out.
        for key in ("policy", "stage_days"):
            value = reading.execute(
                text("SELECT value FROM meta WHERE key = :k"), {"k": key}
            ).scalar()
            if value is not None:
                writing.execute(text("DELETE FROM meta WHERE key = :k"), {"k": key})
                writing.execute(
                    text("INSERT INTO meta (key, value) VALUES (:k, :v)"), {"k": key, "v": value}
                )
        move_sequences(writing)
        _index_for_search(writing)
        if row_counts(writing) != copied:  # a row lost on the way is a refusal, not a copy
            raise DomainError("The copy does not match the source; nothing was written.")
        reading.rollback()
    return copied


def _chunks(reading: Connection, table: Table, *, raw: bool) -> Iterator[Sequence[Any]]:
    """The table's rows in primary-key order, ``CHUNK`` at a time; ``raw``: as SQLite
    stores them when that is the source (COPY reads them so), typed otherwise."""
    if raw and reading.dialect.name == "sqlite":
        yield from bulk.stored_rows(reading, table, CHUNK)
        return
    order = list(table.primary_key.columns)
    result = reading.execution_options(yield_per=CHUNK).execute(select(table).order_by(*order))
    yield from result.partitions(CHUNK)


def _index_for_search(connection: Connection) -> None:
    """SQLite's search index is filled by the bulk paths, not by triggers: the copied cases
    (with their search text) are indexed in one statement. (PostgreSQL's index follows
    the column by itself.)"""
    from sqlmodel import Session

    from db.search import index_new_cases

    with Session(bind=connection) as session:
        index_new_cases(session)


def move_sequences(connection: Connection) -> None:
    """PostgreSQL: rows came with their ids, so each id sequence is moved past them, or the
    next case logged would collide with a copied one. (SQLite needs nothing: it takes the
    next id from the largest in the table.)"""
    if connection.dialect.name != "postgresql":
        return
    for table in data_tables():
        if "id" not in table.columns:
            continue
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT max(id) FROM {table.name}), 1), "
            f"(SELECT max(id) FROM {table.name}) IS NOT NULL)"
        )


def copy_to(ctx: Context, url: str) -> Moved:
    """Copy the whole database to the empty database at ``url`` (SQLite or PostgreSQL)."""
    source_file = sqlite_file(ctx.engine)
    if (
        source_file
        and "://" not in url
        and Path(url).expanduser().resolve() == source_file.resolve()
    ):
        raise DomainError("The copy must go to another database, not this one.")
    target = make_engine(url)
    try:
        if str(target.url) == str(ctx.engine.url):
            raise DomainError("The copy must go to another database, not this one.")
        _refuse_unless_empty(
            target, shown_url(url), "a copy only goes into an empty database; nothing copied."
        )
        rows = copy_rows(ctx.engine, target)
    finally:
        target.dispose()
    return Moved(
        f"Copied {rows.get('cases', 0):,} case(s), {sum(rows.values()):,} row(s) in "
        f"{len(rows)} tables, to {shown_url(url)}.",
        rows,
    )


def backup(ctx: Context, destination: Path) -> Moved:
    """A consistent copy of the database in one SQLite file, owner-only, written beside
    ``destination`` and renamed into place."""
    destination = destination.expanduser()
    source_file = sqlite_file(ctx.engine)
    if destination.is_dir():
        raise DomainError(f"{destination} is a folder: name the backup file to write.")
    if source_file and destination.exists() and destination.resolve() == source_file.resolve():
        raise DomainError("A backup cannot be written over the database itself.")
    private_dir(destination.parent if str(destination.parent) else Path("."))
    if source_file:
        online_backup(ctx.engine, destination)
        with ctx.engine.connect() as connection:
            rows = row_counts(connection)
    else:  # PostgreSQL: the same rows, read in one snapshot, into a new SQLite file
        rows = _copy_into_new_sqlite(ctx.engine, destination)
    return Moved(
        f"Backed up {rows.get('cases', 0):,} case(s) to {destination} "
        f"({destination.stat().st_size:,} bytes).",
        rows,
    )


def _copy_into_new_sqlite(engine: Engine, destination: Path) -> dict[str, int]:
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".backup-") as folder:
        partial = Path(folder) / destination.name
        target = make_engine(partial)
        try:
            rows = copy_rows(engine, target)
            online_backup(target, destination)  # one self-contained file, renamed into place
        finally:
            target.dispose()
    return rows


def restore(ctx: Context, source: Path, *, replace: bool = False) -> Moved:
    """Put the backup in ``source`` back as the database.

    Refused when the database holds anything unless ``replace``; then the database as it
    was is first backed up beside it (SQLite) or into the current folder (PostgreSQL).
    """
    source = source.expanduser()
    if not source.is_file():
        raise DomainError(f"{source} is not a file.")
    own = sqlite_file(ctx.engine)
    if own and source.resolve() == own.resolve():
        raise DomainError("That is the database itself, not a backup of it.")
    kept: Path | None = None
    with tempfile.TemporaryDirectory(prefix="complaints-restore-") as folder:
        # Checked and brought to this program's schema on a copy: the backup is never
        # changed, and an older or damaged one is refused before anything is replaced.
        working = Path(folder) / "backup.sqlite3"
        shutil.copyfile(source, working)
        backup_engine = make_engine(working, notice=lambda _line: None)
        try:
            if not replace:
                _refuse_unless_empty(
                    ctx.engine,
                    "The database",
                    "restore --replace puts the backup in its place (the database as it is "
                    "now is kept as a backup first); nothing restored.",
                )
            elif not is_empty(ctx.engine):
                kept = _keep_before_restore(ctx)
            with backup_engine.connect() as connection:
                rows = row_counts(connection)
            if own:
                restore_into(working, ctx.engine)
            else:  # PostgreSQL: every table emptied and refilled in one transaction
                copy_rows(backup_engine, ctx.engine, clear=True)
        finally:
            backup_engine.dispose()
    saved = f"; the database as it was is saved at {kept}" if kept else ""
    return Moved(f"Restored {rows.get('cases', 0):,} case(s) from {source}{saved}.", rows)


def _keep_before_restore(ctx: Context) -> Path:
    own = sqlite_file(ctx.engine)
    where = own or Path.cwd() / "complaints.sqlite3"
    kept = backup_name(where, "before-restore", datetime.now())
    backup(ctx, kept)
    return kept
