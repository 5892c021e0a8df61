"""Storing many records at once (import, demo) and recomputing every clock.

Both paths compute each stage's clock with the domain rules (``stage_clocks``); a bulk
store builds its rows a chunk at a time (``store_rows``), then writes them with set-based
inserts: one INSERT per table per chunk, all in the caller's transaction (or, from
``store_writer``, in a process of its own).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import contextmanager
from datetime import date

from sqlalchemy import bindparam, update
from sqlmodel import Session, select

from complaints_tui.domain.clocks import OPEN_STATUSES, clock_start_of
from complaints_tui.domain.policy import fingerprint as policy_fingerprint
from complaints_tui.domain.records import CaseRecord
from db import repo, search, search_order, search_weeks
from db.engine import transaction
from db.tables import (
    Case,
    CaseTheme,
    Event,
    LearningAction,
    Meta,
    Remedy,
    Stage,
    Suspension,
)

from . import stage_days
from .bulk_gc import fewer_collections
from .context import Context
from .stage_clocks import clock_input
from .store_columns import COLUMNS
from .store_rows import CHUNK, Chunk, chunks

__all__ = [
    "CHUNK",
    "TABLES",
    "bulk_writing",
    "follow_policy",
    "recompute",
    "store_records",
    "write_chunk",
]

TABLES = (Case, Stage, CaseTheme, Suspension, Remedy, LearningAction, Event)


def store_records(
    ctx: Context,
    session: Session,
    records: Iterable[CaseRecord],
    *,
    event: str | None = "imported",
    expected: int | None = None,
) -> int:
    """Insert new cases with their stages; returns how many cases were written.

    ``event`` is the timeline entry each case starts with (None: none, for demo data);
    ``expected`` is about how many records there are (None: not known), so a large load
    into an empty database builds its indexes once, at the end.
    """
    if expected is None and isinstance(records, Sized):
        expected = len(records)
    with bulk_writing(session, expected):
        return _store(ctx, session, records, event)


@contextmanager
def bulk_writing(session: Session, expected: int | None) -> Iterator[Callable[[], None]]:
    """Around the inserts of a bulk store (``expected``: about how many cases, None: not
    known), in its transaction: into an empty database (demo data, a team's first import)
    indexes are built once, after the rows are in, rather than kept up to date row by row;
    the search indexes likewise take the new cases and stages in one pass at the end.

    It gives a function that indexes for search what has been written so far, for a
    writer with idle time (``store_writer``): less is left for the end."""
    empty = repo.max_id(session, Case) == 0
    large = expected is None or expected >= CHUNK
    with (
        search.bulk_hash(session.connection()),  # left last: the indexes are filled first
        repo.indexes_deferred(session, TABLES, when=empty and large),
        search_order.bulk(session.connection()) as stages_so_far,
        search_weeks.bulk(session.connection()),
        fewer_collections(),  # the records are plain data: see bulk_gc
    ):

        def index_so_far() -> None:
            search.index_new_cases(session)
            stages_so_far()

        yield index_so_far


def _store(ctx: Context, session: Session, records: Iterable[CaseRecord], event: str | None) -> int:
    case_ids = repo.IdBlock(session, Case)  # safe while officers log cases meanwhile
    stage_ids = repo.IdBlock(session, Stage)
    written = 0
    for chunk in chunks(ctx, records, case_ids, stage_ids, event):
        write_chunk(session, chunk)
        written += len(chunk[0])
    search.index_new_cases(session)
    return written


def write_chunk(session: Session, chunk: Chunk) -> None:
    """One chunk's rows, a set-based insert per table."""
    for table, columns, rows in zip(TABLES, COLUMNS, chunk, strict=True):
        repo.bulk_insert_rows(session, table, columns, rows)


def recompute_open_clocks(ctx: Context, session: Session) -> int:
    """Recompute due dates of every open stage (after a policy change); returns the count.

    Reads column tuples, computes in Python, writes back only the rows that changed.
    """
    cols = (
        Stage.id,
        Stage.procedure,
        Stage.number,
        Stage.received,
        Stage.clock_start,
        Stage.clock_set_by_hand,
        Stage.acknowledged,
        Stage.extended_to,
        Stage.fixed_due,
        Stage.panel_date,
        Stage.panel_report_date,
        Stage.due,
        Stage.timescale,
    )
    rows = session.execute(select(*cols).where(Stage.status.in_(OPEN_STATUSES))).all()
    spans: dict[int, list[tuple[date, date | None]]] = {}
    for sid, start, end in session.execute(
        select(Suspension.stage_id, Suspension.start, Suspension.end)
        .join(Stage, Stage.id == Suspension.stage_id)
        .where(Stage.status.in_(OPEN_STATUSES))
    ):
        spans.setdefault(sid, []).append((start, end))
    changed = []
    for row in rows:  # a result row has the attributes clock_input reads from a Stage
        clock = clock_input(row, spans.get(row.id, ()))
        new_due, new_timescale = ctx.due(clock)
        new_start = clock_start_of(clock, ctx.policy, ctx.cal_for(row.procedure)).day
        if (new_due, new_timescale, new_start) != (row.due, row.timescale, row.clock_start):
            changed.append(
                {"sid": row.id, "new_due": new_due, "new_ts": new_timescale, "new_start": new_start}
            )
    if changed:
        stmt = (
            update(Stage.__table__)  # type: ignore[arg-type]
            .where(Stage.__table__.c.id == bindparam("sid"))  # type: ignore[attr-defined]
            .values(
                due=bindparam("new_due"),
                timescale=bindparam("new_ts"),
                clock_start=bindparam("new_start"),
            )
        )
        session.connection().execute(stmt, changed)
    return len(rows)


def recompute(ctx: Context) -> int:
    """Recompute every open clock in one transaction, and every stage's rule columns under
    the policy in force (``stage_days``); returns how many clocks were checked."""
    with transaction(ctx.engine) as session:
        checked = recompute_open_clocks(ctx, session)
        stage_days.refresh(ctx, session)
        return checked


def follow_policy(ctx: Context) -> int | None:
    """Recompute open clocks if the policy changed since they were stored.

    Stored due dates drive the lists; without this, editing the policy file would leave
    them on the old timescales until someone remembered ``recompute``. Returns how many
    clocks were checked when a different policy had been recorded; None otherwise (the
    same policy, or the first run, when the policy in force is simply recorded).

    The export's rule columns follow the policy too: every stage's are worked out again
    when they were stored under another policy, or never (a database just upgraded to
    schema 15), after the clocks they count from.
    """
    fingerprint = policy_fingerprint(ctx.policy)
    with transaction(ctx.engine) as session:
        row = session.get(Meta, "policy")
        checked = None
        if row is None:
            session.add(Meta(key="policy", value=fingerprint))
        elif row.value != fingerprint:
            checked = recompute_open_clocks(ctx, session)
            row.value = fingerprint
        if not stage_days.current(ctx, session):
            stage_days.refresh(ctx, session)
        return checked
