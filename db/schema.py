"""Opening a database: check it is ours and sound, create it, or upgrade it in place.

A database at the program's schema costs one query to open. Alembic is imported only when
there is something to do (an upgrade, or a refusal to explain): a new database is stamped
with Alembic's version table written here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    inspect,
    text,
)
from sqlmodel import SQLModel

from . import tables
from .errors import DatabaseError
from .schema_head import SCHEMA_HEAD
from .schema_lock import schema_lock

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def schema_number(revision: str) -> int:
    """The schema version officers see: the migration's number (``0002_people`` is 2)."""
    return int(revision.split("_", 1)[0])


def _alembic_config(connection: Connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> list[str]:
    """Every revision in the migrations folder, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def open_schema(
    engine: Engine,
    *,
    name: str,
    notice: Callable[[str], None] | None = None,
    backup: Callable[[str], Path | None] | None = None,
) -> None:
    """Make ``engine``'s database ready for this program, or refuse it with one line.

    ``backup(label)`` is called before an upgrade and returns where it wrote the copy (or
    None where the database has no file, e.g. PostgreSQL, which upgrades in one
    transaction); ``notice`` receives the one line saying what happened.
    """
    with engine.connect() as connection:
        found = _current_revision(connection, name)
    if found == SCHEMA_HEAD:
        return
    # Two officers' programs may open a new or an older database at the same moment: the
    # first to take the schema lock creates or upgrades it (backup included); the other
    # waits for it, then reads the revision again and finds nothing left to do.
    with schema_lock(engine, name, notice) as connection:
        found = _current_revision(connection, name)
        if found == SCHEMA_HEAD:
            return
        if found is None:
            create_fresh(connection)
            return
        revisions = known_revisions()
        if found not in revisions:
            raise DatabaseError(
                f"{name} has schema {found!r}, newer than this program understands "
                f"(schema {schema_number(SCHEMA_HEAD)}): install the newer complaints-tui."
            )
        old, new = schema_number(found), schema_number(SCHEMA_HEAD)
        saved = backup(f"before-schema-{new}") if backup else None
        upgrade(connection, found)
    if notice:
        where = f"; the database as it was is saved at {saved}" if saved else ""
        notice(f"Upgraded {name} from schema {old} to schema {new}{where}.")


def _current_revision(connection: Connection, name: str) -> str | None:
    """The database's revision; None for an empty database; refuses one that is not ours."""
    names = set(inspect(connection).get_table_names())
    if "alembic_version" in names:
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).fetchall()
        if len(rows) != 1:
            raise DatabaseError(f"{name} has a damaged schema record ({len(rows)} versions).")
        return str(rows[0][0])
    if not names:
        return None
    if not {"meta", "cases", "stages"} <= names:
        listed = ", ".join(sorted(names)[:5]) + (" ..." if len(names) > 5 else "")
        raise DatabaseError(f"{name} is not a complaints database (it has tables {listed}).")
    value = connection.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
    if value == "1":  # the first release kept its version here, before migrations
        return "0001_schema_1"
    raise DatabaseError(
        f"{name} has schema version {value!r}, which this program does not know "
        f"(it reads 1 to {schema_number(SCHEMA_HEAD)})."
    )


def create_fresh(connection: Connection) -> None:
    """A new database: today's tables, stamped with the head revision.

    The stamp is Alembic's version table with the head in it, written here: loading
    Alembic and its migration scripts only to write one row was a third of a second of
    every import or demo into a new file."""
    assert tables  # the import registers the tables on SQLModel.metadata
    SQLModel.metadata.create_all(connection)
    version = _version_table()
    version.create(connection)
    connection.execute(version.insert().values(version_num=SCHEMA_HEAD))
    _record_version(connection)


def _version_table() -> Table:
    """Alembic's version table as Alembic defines it (``DefaultImpl.version_table_impl``:
    the same name, column and primary key), so Alembic reads and upgrades it as its own."""
    return Table(
        "alembic_version",
        MetaData(),
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )


def upgrade(connection: Connection, found: str) -> None:
    """Run every migration after ``found`` (stamping a first-release database first)."""
    from alembic import command

    config = _alembic_config(connection)
    if not inspect(connection).has_table("alembic_version"):
        command.stamp(config, found)
    command.upgrade(config, SCHEMA_HEAD)
    # The first release added indexes without changing its schema version: a database it
    # made early may lack some that the lists rely on.
    for table in SQLModel.metadata.sorted_tables:
        for index in table.indexes:
            index.create(connection, checkfirst=True)
    _record_version(connection)


def _record_version(connection: Connection) -> None:
    """Keep meta.schema_version too: the first release reads it, and refuses what it is not."""
    number = str(schema_number(SCHEMA_HEAD))
    updated = connection.execute(
        text("UPDATE meta SET value = :v WHERE key = 'schema_version'"), {"v": number}
    )
    if not updated.rowcount:  # type: ignore[attr-defined]
        connection.execute(
            text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"), {"v": number}
        )


def backup_name(path: Path, label: str, now: datetime) -> Path:
    """``complaints.sqlite3`` -> ``complaints.before-schema-2.20261201-0930.sqlite3``."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.{label}.{stamp}{path.suffix or '.sqlite3'}")
