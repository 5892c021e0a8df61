"""SQLite's second search index: every stage's text, in the order of the due-date sort.

A broad search sorted by due date ("2025" matches 378,000 of a million stages) has its
matches bunched at one end of the sort: reading along the due index walks past most of
the table before it meets a page of them, and looking every match up to sort it costs as
much as the matches are many. Here each stage is a row of an FTS5 table whose rowid is
the stage's place in that sort, so a search reads its matches already in order and a page
stops after a page of them, wherever they lie.

- The rowid is ``due_key``: the due date's Julian day in the high bits, the stage id in
  the low 32, and stages without a due date after every dated one (the sort's second
  segment).
- The table keeps trigrams only (``detail=none``): a third of the size, and a row it gives
  holds every trigram of the words, so the reader checks the words on the case's text too.
- Its content is a view over stages and cases, read only when the index is rebuilt.
- Triggers keep it in step in the writing transaction: a stage added, deleted or given
  another due date (an extension, a clock stop, a recompute), and a case's search text
  rewritten (``db.search``) or the case deleted.

PostgreSQL has no such index (pg_trgm answers a search with a bitmap of all its matches).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Connection, TableClause, column, event, table

from complaints_tui.domain.search_text import MIN_INDEXED

from .tables import Stage

ORDER = "stage_order"
ROWS = "stage_order_rows"

SHIFT = 32
"""Bits of the key that hold the stage id (ids stay below four thousand million)."""
UNDATED_DAY = 1 << 30
"""The day a stage without a due date sorts at: after every real day (years ahead)."""
UNDATED = UNDATED_DAY << SHIFT
"""The first key of the stages without a due date."""
_JULIAN = 1_721_424
"""date.toordinal() plus this is SQLite's julianday() of that date, its fraction dropped."""


def _key(stage: str) -> str:
    return (
        f"((CAST(coalesce(julianday({stage}.due), {UNDATED_DAY}) AS INTEGER) << {SHIFT})"
        f" + {stage}.id)"
    )


def due_key(due: date | None, stage_id: int) -> int:
    """A stage's rowid in the index: its place in the due-date sort."""
    day = UNDATED_DAY if due is None else due.toordinal() + _JULIAN
    return (day << SHIFT) + stage_id


STAGE_MASK = (1 << SHIFT) - 1
"""The key's stage id: ``key & STAGE_MASK``."""

_DELETE_OLD = (
    f"INSERT INTO {ORDER}({ORDER}, rowid, search_text) SELECT 'delete', {_key('old')}, "
    "search_text FROM cases WHERE id = old.case_id AND search_text <> '';"
)
_INSERT_NEW = (
    f"INSERT INTO {ORDER}(rowid, search_text) SELECT {_key('new')}, search_text "
    "FROM cases WHERE id = new.case_id AND search_text <> '';"
)

DDL = (
    f"""CREATE VIEW IF NOT EXISTS {ROWS} AS
    SELECT {_key("s")} AS sort_key, c.search_text AS search_text
    FROM stages s JOIN cases c ON c.id = s.case_id WHERE c.search_text <> ''""",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {ORDER} USING fts5(search_text, content='{ROWS}', "
    "content_rowid='sort_key', tokenize='trigram', detail=none, columnsize=0)",
    # A stage is in the index exactly when its case's text is not empty, as in case_search.
    f"""CREATE TRIGGER IF NOT EXISTS stage_order_insert AFTER INSERT ON stages
    BEGIN {_INSERT_NEW} END""",
    f"""CREATE TRIGGER IF NOT EXISTS stage_order_move AFTER UPDATE OF due, case_id ON stages
    WHEN old.due IS NOT new.due OR old.case_id <> new.case_id
    BEGIN {_DELETE_OLD} {_INSERT_NEW} END""",
    f"""CREATE TRIGGER IF NOT EXISTS stage_order_delete AFTER DELETE ON stages
    BEGIN {_DELETE_OLD} END""",
    f"""CREATE TRIGGER IF NOT EXISTS case_order_text AFTER UPDATE OF search_text ON cases
    BEGIN
        INSERT INTO {ORDER}({ORDER}, rowid, search_text)
            SELECT 'delete', {_key("s")}, old.search_text FROM stages s
            WHERE s.case_id = old.id AND old.search_text <> '';
        INSERT INTO {ORDER}(rowid, search_text)
            SELECT {_key("s")}, new.search_text FROM stages s
            WHERE s.case_id = new.id AND new.search_text <> '';
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS case_order_delete AFTER DELETE ON cases
    BEGIN
        INSERT INTO {ORDER}({ORDER}, rowid, search_text)
            SELECT 'delete', {_key("s")}, old.search_text FROM stages s
            WHERE s.case_id = old.id AND old.search_text <> '';
    END""",
)
DROP = (
    "DROP TRIGGER IF EXISTS stage_order_insert",
    "DROP TRIGGER IF EXISTS stage_order_move",
    "DROP TRIGGER IF EXISTS stage_order_delete",
    "DROP TRIGGER IF EXISTS case_order_text",
    "DROP TRIGGER IF EXISTS case_order_delete",
    f"DROP TABLE IF EXISTS {ORDER}",
    f"DROP VIEW IF EXISTS {ROWS}",
)


def is_index_table(name: str | None) -> bool:
    return name is not None and name.startswith(ORDER)


_TRIGGERS = tuple(d for d in DDL if d.startswith("CREATE TRIGGER"))
_FILL = (
    f"INSERT INTO {ORDER}(rowid, search_text) SELECT {_key('s')}, c.search_text "
    "FROM stages s JOIN cases c ON c.id = s.case_id "
    "WHERE s.id > ? AND c.search_text <> '' ORDER BY 1"
)
"""Index the stages above an id in one pass, in key order: FTS5 writes its pending terms
out each time a rowid comes lower than the one before, so rows in stage order (their
keys in no order) cost four times as much, and a trigger per row as much again."""


def create(connection: Connection, *, fill: bool = False) -> None:
    """The index and its triggers (SQLite only; idempotent); ``fill``: index every stage
    already there, in one pass."""
    if connection.dialect.name != "sqlite":
        return
    for statement in DDL:
        connection.exec_driver_sql(statement)
    if fill:
        connection.exec_driver_sql(_FILL, (0,))


@contextmanager
def bulk(connection: Connection, *, emptied: bool = False) -> Iterator[None]:
    """Around a bulk write of stages and cases (import, demo, copy, restore) in one
    transaction: the triggers are set aside and the new stages indexed in one pass at the
    end (a trigger per row made a demo of 30,000 cases take twice as long). ``emptied``:
    the write begins by emptying the tables, so the index is emptied too and filled again
    from every stage. Part of the caller's transaction, as the rows are: a failure leaves
    the index and its triggers as they were. Nothing on PostgreSQL."""
    if connection.dialect.name != "sqlite":
        yield
        return
    for statement in DROP:
        if statement.startswith("DROP TRIGGER"):
            connection.exec_driver_sql(statement)
    if emptied:
        connection.exec_driver_sql(f"INSERT INTO {ORDER}({ORDER}) VALUES ('delete-all')")
        above = 0
    else:
        above = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM stages").scalar()
    yield
    connection.exec_driver_sql(_FILL, (above,))
    for statement in _TRIGGERS:
        connection.exec_driver_sql(statement)


def drop(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for statement in DROP:
            connection.exec_driver_sql(statement)


@event.listens_for(Stage.__table__, "after_create")
def _created(_table: Any, connection: Connection, **_kw: Any) -> None:
    create(connection)


@event.listens_for(Stage.__table__, "before_drop")
def _dropping(_table: Any, connection: Connection, **_kw: Any) -> None:
    drop(connection)


# -- reading ---------------------------------------------------------------------------------


def index_table() -> TableClause:
    return table(ORDER, column("rowid"), column(ORDER))


def match(words: Sequence[str]) -> str | None:
    """The index's query for these (folded) words: every trigram of each long word, each
    a quoted phrase (so nothing typed is read as FTS5 syntax). None: no long word."""
    grams = dict.fromkeys(
        w[i : i + 3] for w in words if len(w) >= MIN_INDEXED for i in range(len(w) - 2)
    )
    if not grams:
        return None
    return " AND ".join('"' + g.replace('"', '""') + '"' for g in grams)
