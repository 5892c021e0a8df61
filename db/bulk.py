"""Loading many rows into PostgreSQL at once: COPY, with the indexes built after the rows.

Row-by-row INSERTs into a table that keeps eight indexes (one of them a trigram GIN index)
cost PostgreSQL a b-tree descent per index per row: a million-case copy ran for over half
an hour. COPY streams the rows instead, and each index and foreign key is then built once,
set-based, from the full table. All of it happens in the caller's transaction (PostgreSQL's
DDL is transactional), so a load that fails leaves the indexes, the constraints and the
tables exactly as they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Table

from .schema import DatabaseError

MAINTENANCE_MEMORY = "256MB"
"""Memory each index build may sort in (for this transaction only): the default 64 MB
spills a million-row GIN build to disk."""

_SET_ASIDE = """
SELECT c.relname, i.relname, pg_get_indexdef(x.indexrelid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class c ON c.oid = x.indrelid
WHERE c.relname = ANY(%(tables)s)
  AND c.relnamespace = to_regnamespace(current_schema())::oid
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
"""
"""The indexes that back no constraint (a primary key, a unique or a foreign key's)."""

_FOREIGN_KEYS = """
SELECT c.relname, k.conname, pg_get_constraintdef(k.oid)
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
WHERE k.contype = 'f' AND c.relname = ANY(%(tables)s)
  AND c.relnamespace = to_regnamespace(current_schema())::oid
"""


@contextmanager
def indexes_set_aside(connection: Connection, tables: Sequence[Table]) -> Iterator[None]:
    """Within the block, ``tables`` keep only their primary keys and unique constraints;
    their other indexes and foreign keys are dropped, then made again (and the foreign
    keys checked, once, against the whole tables) when the block ends."""
    names = [t.name for t in tables]
    raw = _driver(connection)
    with _said(), raw.cursor() as cursor:
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_MEMORY}'")
        # SQLite keeps times in UTC without an offset (``stored_rows``): read as UTC.
        cursor.execute("SET LOCAL TimeZone = 'UTC'")
        cursor.execute(_SET_ASIDE, {"tables": names})
        indexes: list[tuple[str, str, str]] = list(cursor.fetchall())
        cursor.execute(_FOREIGN_KEYS, {"tables": names})
        keys: list[tuple[str, str, str]] = list(cursor.fetchall())
        for table, name, _definition in keys:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for _table, name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with _said(), raw.cursor() as cursor:
        for _table, _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in keys:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        # The planner has no statistics for tables filled in this transaction.
        for table in names:
            cursor.execute(f'ANALYZE "{table}"')


def stored_rows(connection: Connection, table: Table, size: int) -> Iterator[list[Any]]:
    """A SQLite table's rows in primary-key order, ``size`` at a time, as SQLite stores
    them: ISO dates, 0/1 for booleans, UTC times without an offset. PostgreSQL's COPY
    reads each of these as it is (with TimeZone UTC), and skipping the conversion to
    Python dates and back is most of a copy's time on the reading side."""
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
    cursor = _driver(connection).cursor()
    try:
        cursor.execute(f'SELECT {columns} FROM "{table.name}" ORDER BY {order}')
        while chunk := cursor.fetchmany(size):
            yield chunk
    finally:
        cursor.close()


def copy_in(connection: Connection, table: Table, rows: Iterable[Sequence[Any]]) -> int:
    """COPY ``rows`` (values in the table's column order) into ``table``; returns how many."""
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    raw = _driver(connection)
    count = 0
    with (
        _said(),
        raw.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _driver(connection: Connection) -> Any:
    # psycopg's own connection, in the transaction the caller's Connection has begun.
    raw = connection.connection.driver_connection
    assert raw is not None
    return raw


@contextmanager
def _said() -> Iterator[None]:
    """The driver's error as one line (PostgreSQL adds DETAIL and HINT lines)."""
    import psycopg

    try:
        yield
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseError(first) from exc
