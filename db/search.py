"""The case search index: each case's searched fields, folded, and a substring index on them.

``cases.search_text`` holds the reference, complainant, case-management number, children's
names and summary in the form ``domain.search_text.fold`` gives (no accents, case-folded),
so 'siobhan' finds "Siobhán". It is written:

- by the ORM (every officer action): a flush that changes a searched field of a case
  rewrites that case's text (``_after_flush``);
- by the bulk paths (import, demo), which put ``record_search_text`` in each row and call
  ``index_new_cases`` once after their inserts.

The substring index over it is SQLite's FTS5 with the trigram tokenizer (the table
``case_search``, external content kept in step by triggers on update and delete; inserts
are indexed set-based, because a per-row trigger made a 100,000-case import 9 s slower)
and PostgreSQL's pg_trgm (a GIN index, maintained by PostgreSQL itself). On SQLite a second
index, ``db.search_order``, holds every stage's text in the due-date sort's order, for
broad searches sorted by due date; its triggers follow this table's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Select, column, event, select, table, text
from sqlalchemy.orm import Session as OrmSession

from complaints_tui.domain.search_text import MIN_INDEXED, searchable

from . import search_order, search_weeks, stage_counts  # noqa: F401  (their table events)
from .tables import Case

FTS = "case_search"
"""SQLite's FTS5 table over cases.search_text (rowid = cases.id)."""

PG_INDEX = "ix_cases_search_trgm"

SEARCHED = ("reference", "complainant_name", "cms_reference", "summary")
"""The case's own columns search reads (children's names come from case_children)."""

SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(search_text, "
    "content='cases', content_rowid='id', tokenize='trigram')",
    # A row is in the index exactly when its text is not empty: the ORM inserts a case
    # with '' and the flush then writes its text, which this trigger indexes.
    f"""CREATE TRIGGER IF NOT EXISTS cases_search_update AFTER UPDATE OF search_text ON cases
    BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_text)
            SELECT 'delete', old.id, old.search_text WHERE old.search_text <> '';
        INSERT INTO {FTS}(rowid, search_text)
            SELECT new.id, new.search_text WHERE new.search_text <> '';
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS cases_search_delete AFTER DELETE ON cases
    BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_text)
            SELECT 'delete', old.id, old.search_text WHERE old.search_text <> '';
    END""",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS cases_search_update",
    "DROP TRIGGER IF EXISTS cases_search_delete",
    f"DROP TABLE IF EXISTS {FTS}",
)
PG_EXTENSION_SCHEMA = (
    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
    "WHERE e.extname = 'pg_trgm'"
)
PG_DROP = (f"DROP INDEX IF EXISTS {PG_INDEX}",)


def not_index_table(name: str | None, type_: str, _parent: Any) -> bool:
    """For Alembic's comparisons: False for the FTS5 tables and their shadow tables, and
    for the indexes of cases' text in reference order."""
    if type_ == "index":
        # made by search_order, not the models (SQLite's, and PostgreSQL's since schema 16)
        return name not in (search_order.REFERENCE_TEXT, search_order.PG_REFERENCE_LONG)
    return not (
        type_ == "table"
        and name is not None
        and (name.startswith(FTS) or search_order.is_index_table(name))
    )


def create_index(connection: Connection) -> None:
    """The substring index for this database's engine (idempotent)."""
    name = connection.dialect.name
    if name == "sqlite":
        for statement in SQLITE_DDL:
            connection.exec_driver_sql(statement)
    elif name == "postgresql":
        # pg_trgm lives in one schema of the database (public, unless a DBA put it
        # elsewhere); the operator class is named with it, so a connection whose search
        # path leaves that schema out still finds it.
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        schema = connection.exec_driver_sql(PG_EXTENSION_SCHEMA).scalar_one()
        connection.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON cases "
            f'USING gin (search_text "{schema}".gin_trgm_ops)'
        )


def drop_index(connection: Connection) -> None:
    name = connection.dialect.name
    for statement in SQLITE_DROP if name == "sqlite" else PG_DROP if name == "postgresql" else ():
        connection.exec_driver_sql(statement)


@event.listens_for(Case.__table__, "after_create")
def _created(_table: Any, connection: Connection, **_kw: Any) -> None:
    create_index(connection)


@event.listens_for(Case.__table__, "before_drop")
def _dropping(_table: Any, connection: Connection, **_kw: Any) -> None:
    drop_index(connection)


# -- writing the text ----------------------------------------------------------------------


def case_search_text(
    reference: str | None,
    complainant_name: str | None,
    cms_reference: str | None,
    summary: str | None,
    children: Iterable[str | None] = (),
) -> str:
    return searchable((reference, complainant_name, cms_reference, *children, summary))


def record_search_text(record: Any) -> str:
    """The text of a case about to be bulk-inserted (a ``CaseRecord``; its children, when
    records carry them, as names, (name, date of birth) pairs or objects with a name)."""
    children = getattr(record, "children", None) or getattr(record, "children_names", ())
    return case_search_text(
        record.reference,
        record.complainant_name,
        getattr(record, "cms_reference", None),
        record.summary,
        (_child_name(child) for child in children),
    )


def _child_name(child: Any) -> str | None:
    if isinstance(child, str):
        return child
    if isinstance(child, tuple):
        return child[0] if child else None
    return getattr(child, "name", None)


def refresh_cases(connection: Connection, case_ids: Iterable[int]) -> None:
    """Rewrite the text of these cases from their stored fields (on SQLite the update
    trigger moves the index along)."""
    ids = sorted(set(case_ids))
    cases = table("cases", *(column(c) for c in ("id", "search_text", *_case_columns())))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = connection.execute(select(cases).where(cases.c.id.in_(chunk))).mappings().all()
        children = _children(connection, chunk)
        changed = []
        for row in rows:
            wanted = case_search_text(
                row["reference"],
                row["complainant_name"],
                row.get("cms_reference"),
                row["summary"],
                children.get(row["id"], ()),
            )
            if wanted != row["search_text"]:
                changed.append({"case_id": row["id"], "text": wanted})
        if changed:
            connection.execute(
                text("UPDATE cases SET search_text = :text WHERE id = :case_id"), changed
            )


def _case_columns() -> tuple[str, ...]:
    present = set(Case.__table__.c.keys())
    return tuple(c for c in SEARCHED if c in present)


def _children(connection: Connection, case_ids: Sequence[int]) -> dict[int, list[str]]:
    """The children's names of these cases (none before the table exists)."""
    found: dict[int, list[str]] = {}
    children = Case.metadata.tables.get("case_children")
    if children is None:
        return found
    stmt = (
        select(children.c.case_id, children.c.name)
        .where(children.c.case_id.in_(case_ids))
        .order_by(children.c.id)
    )
    for case_id, name in connection.execute(stmt):
        found.setdefault(case_id, []).append(name)
    return found


def index_new_cases(session: OrmSession) -> None:
    """Index the cases a bulk insert just wrote, in one set-based statement.

    Every case has text (a reference at least), so the index holds every case up to the
    newest it was told of; a bulk insert adds cases above that id.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(
            f"INSERT INTO {FTS}(rowid, search_text) SELECT id, search_text FROM cases "
            f"WHERE id > (SELECT coalesce(max(id), 0) FROM {FTS}_docsize) AND search_text <> ''"
        )


def rebuild(connection: Connection) -> None:
    """Every case's text written again and the index rebuilt (after a migration)."""
    ids = [r[0] for r in connection.exec_driver_sql("SELECT id FROM cases")]
    if connection.dialect.name == "sqlite":
        # Written without the index, then indexed in one pass: far faster than row by row.
        for statement in SQLITE_DROP:
            connection.exec_driver_sql(statement)
        refresh_cases(connection, ids)
        create_index(connection)
        connection.exec_driver_sql(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
    else:
        refresh_cases(connection, ids)
        create_index(connection)


@event.listens_for(OrmSession, "after_flush")
def _after_flush(session: OrmSession, _context: Any) -> None:
    # History still shows what this flush wrote, so only cases whose searched fields
    # changed are rewritten; a new case always is.
    ids: set[int] = set()
    for obj in session.new:
        if isinstance(obj, Case) and obj.id is not None:
            ids.add(obj.id)
        elif _is_child(obj):
            ids.add(obj.case_id)
    for obj in session.dirty:
        if isinstance(obj, Case) and obj.id is not None and _searched_changed(obj):
            ids.add(obj.id)
        elif _is_child(obj):
            ids.add(obj.case_id)
    for obj in session.deleted:
        if _is_child(obj):
            ids.add(obj.case_id)
    if ids:
        refresh_cases(session.connection(), ids)


def _searched_changed(case: Case) -> bool:
    from sqlalchemy import inspect

    state = inspect(case)
    return any(
        state.attrs[name].history.has_changes() for name in _case_columns() if name in state.attrs
    )


def _is_child(obj: Any) -> bool:
    return getattr(obj, "__tablename__", None) == "case_children"


# -- reading ---------------------------------------------------------------------------------


def long_words(words: Sequence[str]) -> list[str]:
    """The words the index can answer (three characters or more)."""
    return [w for w in words if len(w) >= MIN_INDEXED]


def matching_ids(dialect: str, words: Sequence[str]) -> Select[Any] | None:
    """The ids of the cases whose text holds every word (folded already), as a subquery;
    None when no word is long enough for the index to answer.

    Shorter words then narrow the index's answer rather than being searched alone: a
    one- or two-letter substring matches most cases and no index can find it.
    """
    long = long_words(words)
    if not long:
        return None
    rest = [w for w in words if w not in long]
    if dialect == "sqlite":
        fts = table(FTS, column("rowid"), column(FTS), column("search_text"))
        # Each word a quoted phrase: a trigram phrase is a substring, and quoting keeps
        # FTS5 from reading AND, OR, NEAR, '*' or '-' in what was typed as syntax.
        query = " AND ".join('"' + w.replace('"', '""') + '"' for w in long)
        return select(fts.c.rowid).where(
            fts.c[FTS].op("MATCH")(query),
            *(fts.c.search_text.contains(w, autoescape=True) for w in rest),
        )
    return select(Case.__table__.c.id).where(
        *(Case.__table__.c.search_text.contains(w, autoescape=True) for w in words)
    )


def text_holds(words: Sequence[str], text: Any = None) -> list[Any]:
    """Conditions that a case's folded text (``text``: that column, as a subquery has it)
    holds every word: checked row by row, for reading along another index when most cases
    match (looking every match up first would cost as much as the matches are many)."""
    column = Case.__table__.c.search_text if text is None else text
    return [column.contains(w, autoescape=True) for w in words]


HASH_BYTES = 1 << 23
"""FTS5's buffer of new terms while a bulk store fills the search indexes: 8 MB, where
its default is 1 MB. Each time the buffer fills, FTS5 writes it out as a segment and
merges segments as they pile up; with a buffer eight times the size, filling the three
indexes of 100,000 cases takes 1.6 s of CPU instead of 2.5. The search finds the same."""
_HASH_DEFAULT = 1 << 20


@contextmanager
def bulk_hash(connection: Connection) -> Iterator[None]:
    """Around a bulk store, in its transaction: SQLite's search indexes (``FTS`` and the
    stage indexes of ``search_order``) buffer ``HASH_BYTES`` of new terms, and FTS5's
    default again afterwards (written as a setting of each index, so it is part of the
    transaction: a failure leaves the setting as it was). Nothing on PostgreSQL."""
    if connection.dialect.name != "sqlite":
        yield
        return
    names = (FTS, *(order.name for order in search_order.ORDERS))

    def buffer(size: int) -> None:
        for name in names:
            connection.exec_driver_sql(
                f"INSERT INTO {name}({name}, rank) VALUES ('hashsize', {size})"
            )

    buffer(HASH_BYTES)
    yield
    buffer(_HASH_DEFAULT)
