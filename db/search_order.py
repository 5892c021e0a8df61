"""SQLite's stage search indexes: every stage's text, in the order of the due-date sort
(``DUE``, schema 9) and again in the received sort's (``RECEIVED``, schema 10).

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

``RECEIVED`` is the same for the received sort ("2025" newest first walked past every
stage received in 2026 first): its rowid is the received date's Julian day in the high
bits and the stage id in the low 32, read from the top down. It costs what ``DUE`` does
again: about 100 MB at a million stages, and its share of an import's time.

PostgreSQL has no such stage index (pg_trgm answers a search with a bitmap of all its
matches; ``db.search_weeks`` is its way); it has the cases in reference order with their
text since schema 16 (``create_pg_reference``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Order:
    """One of the stage indexes: its table, content view, key and triggers."""

    name: str
    rows: str
    """The content view: each stage's key (``sort_key``) and its case's text."""
    key: Callable[[str], str]
    """The key's SQL for a stage row of this name (a trigger's old/new, or an alias)."""
    moved_by: str
    """The stage's column that moves it in this sort (besides its case)."""
    stage_trigger: str
    case_trigger: str

    def ddl(self) -> tuple[str, ...]:
        delete_old = (
            f"INSERT INTO {self.name}({self.name}, rowid, search_text) SELECT 'delete', "
            f"{self.key('old')}, search_text FROM cases WHERE id = old.case_id "
            "AND search_text <> '';"
        )
        insert_new = (
            f"INSERT INTO {self.name}(rowid, search_text) SELECT {self.key('new')}, search_text "
            "FROM cases WHERE id = new.case_id AND search_text <> '';"
        )
        moved, stem, case = self.moved_by, self.stage_trigger, self.case_trigger
        return (
            f"""CREATE VIEW IF NOT EXISTS {self.rows} AS
    SELECT {self.key("s")} AS sort_key, c.search_text AS search_text
    FROM stages s JOIN cases c ON c.id = s.case_id WHERE c.search_text <> ''""",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.name} USING fts5(search_text, "
            f"content='{self.rows}', content_rowid='sort_key', tokenize='trigram', "
            "detail=none, columnsize=0)",
            # A stage is in the index exactly when its case's text is not empty, as in
            # case_search.
            f"""CREATE TRIGGER IF NOT EXISTS {stem}_insert AFTER INSERT ON stages
    BEGIN {insert_new} END""",
            f"""CREATE TRIGGER IF NOT EXISTS {stem}_move AFTER UPDATE OF {moved}, case_id ON stages
    WHEN old.{moved} IS NOT new.{moved} OR old.case_id <> new.case_id
    BEGIN {delete_old} {insert_new} END""",
            f"""CREATE TRIGGER IF NOT EXISTS {stem}_delete AFTER DELETE ON stages
    BEGIN {delete_old} END""",
            f"""CREATE TRIGGER IF NOT EXISTS {case}_text AFTER UPDATE OF search_text ON cases
    BEGIN
        INSERT INTO {self.name}({self.name}, rowid, search_text)
            SELECT 'delete', {self.key("s")}, old.search_text FROM stages s
            WHERE s.case_id = old.id AND old.search_text <> '';
        INSERT INTO {self.name}(rowid, search_text)
            SELECT {self.key("s")}, new.search_text FROM stages s
            WHERE s.case_id = new.id AND new.search_text <> '';
    END""",
            f"""CREATE TRIGGER IF NOT EXISTS {case}_delete AFTER DELETE ON cases
    BEGIN
        INSERT INTO {self.name}({self.name}, rowid, search_text)
            SELECT 'delete', {self.key("s")}, old.search_text FROM stages s
            WHERE s.case_id = old.id AND old.search_text <> '';
    END""",
        )

    def triggers(self) -> tuple[str, ...]:
        return tuple(d for d in self.ddl() if d.startswith("CREATE TRIGGER"))

    def drop(self) -> tuple[str, ...]:
        stem, case = self.stage_trigger, self.case_trigger
        names = (f"{stem}_insert", f"{stem}_move", f"{stem}_delete", f"{case}_text")
        return (
            *(f"DROP TRIGGER IF EXISTS {n}" for n in (*names, f"{case}_delete")),
            f"DROP TABLE IF EXISTS {self.name}",
            f"DROP VIEW IF EXISTS {self.rows}",
        )

    def fill(self) -> str:
        """Index the stages above an id in one pass, in key order: FTS5 writes its
        pending terms out each time a rowid comes lower than the one before, so rows in
        stage order (their keys in no order) cost four times as much, and a trigger per
        row as much again."""
        return (
            f"INSERT INTO {self.name}(rowid, search_text) SELECT {self.key('s')}, "
            "c.search_text FROM stages s JOIN cases c ON c.id = s.case_id "
            "WHERE s.id > ? AND c.search_text <> '' ORDER BY 1"
        )

    def table(self) -> TableClause:
        return table(self.name, column("rowid"), column(self.name))


def _received_key(stage: str) -> str:
    return f"((CAST(julianday({stage}.received) AS INTEGER) << {SHIFT}) + {stage}.id)"


def received_key(received: date, stage_id: int) -> int:
    """A stage's rowid in the received index: its place in the received sort (read
    from the highest key down for newest first)."""
    return ((received.toordinal() + _JULIAN) << SHIFT) + stage_id


DUE = Order(ORDER, ROWS, _key, "due", "stage_order", "case_order")
RECEIVED = Order(
    "stage_received",
    "stage_received_rows",
    _received_key,
    "received",
    "stage_received",
    "case_received",
)
"""The same stages' text keyed by the received sort (schema 10): the matches of a broad
search sorted newest first come already in order, as ``DUE``'s do by due date."""
ORDERS = (DUE, RECEIVED)
DDL = tuple(d for o in ORDERS for d in o.ddl())
DROP = tuple(d for o in ORDERS for d in o.drop())


REFERENCE_TEXT = "ix_cases_reference_text"
"""Cases in reference order with their folded text (schema 10): a broad search sorted by
reference walks this index, checking each case's text without reading its row (a fifth
of a microsecond a case, where the reference index and the row cost a microsecond, and
looking up every match of ``2025`` first, 378,000 of them, costs half a second). About
100 MB at a million cases: the text again, and its share of an import."""
_REFERENCE_TEXT_DDL = (
    f"CREATE INDEX IF NOT EXISTS {REFERENCE_TEXT} ON cases (reference, search_text)"
)


PG_REFERENCE_LONG = "ix_cases_reference_long"
PG_TEXT_LIMIT = 2400
"""PostgreSQL's ``REFERENCE_TEXT`` (schema 16) holds the cases whose reference and text
take at most this many bytes: a B-tree entry must fit in a third of a page (2,704
bytes), so a case with a longer text would be refused by the index. The few longer ones
are in ``PG_REFERENCE_LONG``, in reference order without their text; a walk reads both
(``services.lists_reference.rows``)."""
_PG_SHORT = f"octet_length(reference) + octet_length(search_text) <= {PG_TEXT_LIMIT}"
_PG_REFERENCE_DDL = (
    f"CREATE INDEX IF NOT EXISTS {REFERENCE_TEXT} ON cases (reference) "
    f"INCLUDE (id, search_text) WHERE {_PG_SHORT}",
    f"CREATE INDEX IF NOT EXISTS {PG_REFERENCE_LONG} ON cases (reference) WHERE NOT ({_PG_SHORT})",
)


def create_pg_reference(connection: Connection) -> None:
    """PostgreSQL's cases in reference order with their text (schema 16; idempotent): a
    broad search sorted by reference walks it as SQLite walks ``REFERENCE_TEXT``, each
    case's text checked in the index (an index-only scan: 40 ms past the 282,000 cases
    of 2024 at a million, where reading each case's row took 130). About 120 MB at a
    million cases; built in 2 s."""
    if connection.dialect.name == "postgresql":
        for statement in _PG_REFERENCE_DDL:
            connection.exec_driver_sql(statement)


def drop_pg_reference(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        for name in (REFERENCE_TEXT, PG_REFERENCE_LONG):
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")


def is_index_table(name: str | None) -> bool:
    return name is not None and name.startswith(tuple(o.name for o in ORDERS))


def create(
    connection: Connection,
    *,
    fill: bool = False,
    orders: Sequence[Order] = ORDERS,
    reference_text: bool = True,
) -> None:
    """The indexes and their triggers (SQLite only; idempotent); ``fill``: index every
    stage already there, in one pass. ``orders`` and ``reference_text``: only these (a
    migration names its own)."""
    if connection.dialect.name != "sqlite":
        return
    if reference_text:
        connection.exec_driver_sql(_REFERENCE_TEXT_DDL)
    for order in orders:
        for statement in order.ddl():
            connection.exec_driver_sql(statement)
        if fill:
            connection.exec_driver_sql(order.fill(), (0,))


@contextmanager
def bulk(connection: Connection, *, emptied: bool = False) -> Iterator[Callable[[], None]]:
    """Around a bulk write of stages and cases (import, demo, copy, restore) in one
    transaction: the triggers are set aside and the new stages indexed in one pass at the
    end (a trigger per row made a demo of 30,000 cases take twice as long). ``emptied``:
    the write begins by emptying the tables, so the indexes are emptied too and filled
    again from every stage. Part of the caller's transaction, as the rows are: a failure
    leaves the indexes and their triggers as they were. Nothing on PostgreSQL.

    It gives a function that indexes the stages written so far: a writer with time to
    spare while the next rows are made (store_writer) spends it so, and leaves less for
    the end. Each call costs more than its share of one pass (FTS5 writes its terms out
    at every statement), so it is for time that would otherwise be idle."""
    if connection.dialect.name != "sqlite":
        yield _nothing
        return
    for statement in DROP:
        if statement.startswith("DROP TRIGGER"):
            connection.exec_driver_sql(statement)
    if emptied:
        for order in ORDERS:
            connection.exec_driver_sql(
                f"INSERT INTO {order.name}({order.name}) VALUES ('delete-all')"
            )
        above = 0
    else:
        above = _highest_stage(connection)

    def index_so_far() -> None:
        """The stages written so far indexed now, rather than all of them at the end."""
        nonlocal above
        highest = _highest_stage(connection)
        if highest > above:
            for order in ORDERS:
                connection.exec_driver_sql(order.fill(), (above,))
            above = highest

    yield index_so_far
    index_so_far()
    for order in ORDERS:
        for statement in order.triggers():
            connection.exec_driver_sql(statement)


def _nothing() -> None:
    pass


def _highest_stage(connection: Connection) -> int:
    return connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM stages").scalar() or 0


def drop(
    connection: Connection, orders: Sequence[Order] = ORDERS, *, reference_text: bool = True
) -> None:
    if connection.dialect.name == "sqlite":
        if reference_text:
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS {REFERENCE_TEXT}")
        for order in orders:
            for statement in order.drop():
                connection.exec_driver_sql(statement)


@event.listens_for(Stage.__table__, "after_create")
def _created(_table: Any, connection: Connection, **_kw: Any) -> None:
    create(connection)
    create_pg_reference(connection)


@event.listens_for(Stage.__table__, "before_drop")
def _dropping(_table: Any, connection: Connection, **_kw: Any) -> None:
    drop(connection)


# -- reading ---------------------------------------------------------------------------------


def match(words: Sequence[str]) -> str | None:
    """The index's query for these (folded) words: every trigram of each long word, each
    a quoted phrase (so nothing typed is read as FTS5 syntax). None: no long word."""
    grams = dict.fromkeys(
        w[i : i + 3] for w in words if len(w) >= MIN_INDEXED for i in range(len(w) - 2)
    )
    if not grams:
        return None
    return " AND ".join('"' + g.replace('"', '""') + '"' for g in grams)
