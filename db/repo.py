"""Repositories: plain functions taking a session. No business rules here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import func, insert, update
from sqlmodel import Session, select

from complaints_tui.domain.errors import ConflictError, NotFoundError
from complaints_tui.domain.vocab import normalise_free_text

from .tables import (
    Case,
    CaseChild,
    CaseLink,
    CaseTheme,
    Event,
    LearningAction,
    Remedy,
    Stage,
    Suspension,
    key,
)


def distinct_values(session: Session, column: Any) -> list[Any]:
    """Every value of an indexed column but NULL, in order, read one index step per value:
    see ``distinct_values_query``."""
    return list(session.execute(distinct_values_query(column)).scalars())


def distinct_values_query(column: Any) -> Any:
    """A "loose index scan": the next value is the least one above the last. Neither
    database walks an index so for ``SELECT DISTINCT``; both read every row instead."""
    walk = select(func.min(column).label("value")).cte("walk", recursive=True)
    following = select(func.min(column)).where(column > walk.c.value).scalar_subquery()
    walk = walk.union_all(select(following).where(walk.c.value.is_not(None)))
    return select(walk.c.value).where(walk.c.value.is_not(None)).order_by(walk.c.value)


def get_case(session: Session, reference: str, *, lock: bool = False) -> Case:
    """The case with ``reference``; ``lock`` claims its row until the transaction ends
    (PostgreSQL's FOR UPDATE: a second officer's action waits, then reads this one's
    result; SQLite's transactions already hold the whole database, see db.engine)."""
    query = select(Case).where(Case.reference == reference.strip())
    if lock:
        query = query.with_for_update()
    case = session.exec(query).first()
    if case is None:
        raise NotFoundError(f"No case with reference {reference.strip()!r}.")
    return case


def case_stages(session: Session, case: Case) -> list[Stage]:
    """A case's stages in the order they happened."""
    return list(
        session.exec(
            select(Stage).where(Stage.case_id == key(case)).order_by(Stage.received, Stage.id)
        )
    )


def stage_suspensions(session: Session, stage: Stage) -> list[Suspension]:
    return list(
        session.exec(
            select(Suspension).where(Suspension.stage_id == key(stage)).order_by(Suspension.start)
        )
    )


def case_themes(session: Session, case: Case) -> list[str]:
    return list(
        session.exec(
            select(CaseTheme.theme).where(CaseTheme.case_id == key(case)).order_by(CaseTheme.id)
        )
    )


def replace_themes(session: Session, case: Case, themes: Iterable[str]) -> None:
    case_id = key(case)
    for row in session.exec(select(CaseTheme).where(CaseTheme.case_id == case_id)):
        session.delete(row)
    seen = set()
    for theme in themes:
        theme_key = normalise_free_text(theme)
        if theme_key and theme_key not in seen:
            seen.add(theme_key)
            session.add(CaseTheme(case_id=case_id, theme=theme.strip(), theme_key=theme_key))


def case_children(session: Session, case: Case) -> list[CaseChild]:
    """The children a case is about, in the order they were added."""
    return list(
        session.exec(select(CaseChild).where(CaseChild.case_id == key(case)).order_by(CaseChild.id))
    )


def linked_references(session: Session, case: Case) -> list[str]:
    return list(
        session.exec(
            select(Case.reference)
            .join(CaseLink, CaseLink.linked_case_id == Case.id)
            .where(CaseLink.case_id == key(case))
            .order_by(Case.reference)
        )
    )


def case_events(session: Session, case: Case) -> list[Event]:
    return list(
        session.exec(select(Event).where(Event.case_id == key(case)).order_by(Event.at, Event.id))
    )


def stage_remedies(session: Session, stage: Stage) -> list[Remedy]:
    return list(session.exec(select(Remedy).where(Remedy.stage_id == key(stage))))


def stage_learning(session: Session, stage: Stage) -> list[LearningAction]:
    return list(session.exec(select(LearningAction).where(LearningAction.stage_id == key(stage))))


def bump_version(session: Session, case: Case, expected: int | None) -> None:
    """Claim the case for this transaction: the second of two concurrent saves fails.

    The UPDATE only matches when the version is still the one the officer read, so the
    check and the bump are one atomic step on any database.
    """
    session.flush()
    session.info["wrote"] = True  # a new version: open screens must hear of it
    seen = case.version if expected is None else expected
    result = session.execute(
        update(Case).where(Case.id == key(case), Case.version == seen).values(version=seen + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(
            f"{case.reference} was changed by someone else since you opened it; "
            "reload it and try again. Nothing was saved."
        )
    session.expire(case, ["version"])


def events_since(session: Session, case: Case, version: int) -> list[Event]:
    """The timeline entries that took the case past ``version``, oldest first."""
    return list(
        session.exec(
            select(Event)
            .where(Event.case_id == key(case), Event.version > version)  # type: ignore[operator]
            .order_by(Event.at, Event.id)
        )
    )


def last_events(session: Session, case: Case, stage_id: int | None, limit: int) -> list[Event]:
    """The latest timeline entries of a case (of one stage, when given), newest first."""
    query = select(Event).where(Event.case_id == key(case))
    if stage_id is not None:
        query = query.where(Event.stage_id == stage_id)
    return list(session.exec(query.order_by(Event.at.desc(), Event.id.desc()).limit(limit)))  # type: ignore[attr-defined]


class IdBlock:
    """Ids for rows the bulk path inserts with their ids given.

    PostgreSQL: drawn from the table's own sequence, a block at a time, so an officer
    logging a case meanwhile (whose id the sequence also hands out) never collides.
    SQLite: the transaction holds the write lock (db.engine), so max(id) + 1 onwards is
    free until it commits.
    """

    def __init__(self, session: Session, table: Any, block: int = 10000) -> None:
        self.session = session
        self.table = table
        self.block = block
        self.postgres = session.connection().dialect.name == "postgresql"
        self.ready: list[int] = []
        self.last = 0 if self.postgres else max_id(session, table)

    def __next__(self) -> int:
        if not self.postgres:
            self.last += 1
            return self.last
        if not self.ready:
            name = self.table.__table__.name
            self.ready = list(
                self.session.connection()
                .exec_driver_sql(
                    f"SELECT nextval(pg_get_serial_sequence('{name}', 'id')) "
                    f"FROM generate_series(1, {int(self.block)})"
                )
                .scalars()
            )
            self.ready.reverse()
        return self.ready.pop()


def existing_stage_keys(session: Session) -> set[tuple[str, str, int]]:
    """(reference, procedure, number) of every stage already stored."""
    rows = session.execute(
        select(Case.reference, Stage.procedure, Stage.number).join(Stage, Stage.case_id == Case.id)
    )
    return {(r, p, n) for r, p, n in rows}


def existing_references(session: Session) -> set[str]:
    return set(session.exec(select(Case.reference)))


def max_id(session: Session, table: Any) -> int:
    return session.execute(select(func.max(table.id))).scalar() or 0


def references_with_prefix(session: Session, prefix: str) -> Sequence[str]:
    return list(session.exec(select(Case.reference).where(Case.reference.startswith(prefix))))


@contextmanager
def indexes_deferred(session: Session, tables: Sequence[Any], *, when: bool) -> Iterator[None]:
    """Drop the non-unique indexes of ``tables`` and build them again at the end.

    Building an index over 100,000 rows at once is about twice as fast as keeping it
    up to date row by row. Unique indexes stay, so integrity is checked as rows arrive.
    Both steps are part of the caller's transaction, so a failure leaves them as they were.
    """
    if not when:
        yield
        return
    connection = session.connection()
    deferred = [i for t in tables for i in t.__table__.indexes if not i.unique]
    for index in deferred:
        index.drop(connection)
    yield
    for index in deferred:
        index.create(connection)


def bulk_insert(
    session: Session, table: Any, rows: list[dict[str, Any]], chunk: int = 50000
) -> None:
    """Set-based insert of plain dicts: one driver-level executemany per chunk.

    Through the ORM this was a statement per row, and through Core's parameter
    processing 3 s per 100,000 rows; the driver's own executemany is the floor. The
    statement is compiled by SQLAlchemy for the engine's dialect, so it stays portable.
    """
    if not rows:
        return
    session.info["wrote"] = True
    connection = session.connection()
    columns = list(rows[0])
    compiled = insert(table.__table__).compile(dialect=connection.dialect, column_keys=columns)
    order = compiled.positiontup
    if order is None:  # a driver with named parameters takes the dicts as they are
        # Ids given explicitly come from the table's sequence (IdBlock): it needs no
        # moving, and moving it to max(id) could hand out an id a colleague holds.
        for i in range(0, len(rows), chunk):
            connection.exec_driver_sql(compiled.string, rows[i : i + chunk])
        return
    getter = itemgetter(*order)
    for i in range(0, len(rows), chunk):
        # dates reach sqlite3 as they are: db.engine registers adapters writing the same
        # text SQLAlchemy's SQLite types write, in C rather than a Python call per value
        params = [getter(row) for row in rows[i : i + chunk]]
        connection.exec_driver_sql(compiled.string, params)


def bulk_insert_rows(
    session: Session, table: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """``bulk_insert`` of rows given as tuples in ``columns``' order: a bulk store builds
    no dict per row, and a positional driver (sqlite3) takes them as they are."""
    if not rows:
        return
    session.info["wrote"] = True
    connection = session.connection()
    dialect = connection.dialect
    if dialect.paramstyle == "qmark":
        quote = dialect.identifier_preparer.quote
        names = ", ".join(quote(c) for c in columns)
        marks = ", ".join("?" * len(columns))
        statement = f"INSERT INTO {quote(table.__table__.name)} ({names}) VALUES ({marks})"
        connection.exec_driver_sql(statement, rows)
        return
    # Other drivers (psycopg's named parameters): the statement SQLAlchemy compiles for
    # the dialect, and the dicts it wants.
    compiled = insert(table.__table__).compile(dialect=dialect, column_keys=list(columns))
    connection.exec_driver_sql(
        compiled.string, [dict(zip(columns, row, strict=True)) for row in rows]
    )
