"""The case list's counts: each segment's rows, counted only as far as the cap leaves.

Split from ``lists_sql`` (the reader of pages): these functions take its reader, as
``lists_pg``'s do, and read nothing it has not chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, case, func, literal_column, select
from sqlmodel import col

from complaints_tui.domain.clocks import OPEN_STATUSES
from db import stage_counts
from db.tables import Case, Stage

from . import lists_pg

if TYPE_CHECKING:
    from .lists_sql import _Reader


def counts(reader: _Reader) -> tuple[tuple[int, ...], bool]:
    """Each segment's row count, and whether counting stopped at the cap (a narrowed
    filter only: the whole of a scope is counted exactly, from index sizes)."""
    if not reader.narrowed:
        if reader.filter.scope != "open":
            return _scope_counts(reader), False
        return _open_counts(reader), False
    # Segment by segment, each counted only as far as the cap leaves: a capped listing
    # is the first ``cap`` rows in sort order.
    sizes: list[int] = []
    by_bucket = lists_pg.counts(reader)  # PostgreSQL's broad searches, week by week
    for number, seg in enumerate(reader.segments):
        left = reader.cap + 1 - sum(sizes)
        if by_bucket:
            sizes.append(lists_pg.count(reader, number, left))
        elif number == 0 and _counted_by_reading(reader):
            reader.read[number] = reader.session.execute(reader._statement(number, left)).all()
            sizes.append(len(reader.read[number]))
        else:
            also = [seg.where] if seg.where is not None else []
            sizes.append(_capped_count(reader, left, *also))
        if sum(sizes) > reader.cap:
            sizes[-1] -= sum(sizes) - reader.cap
            sizes += [0] * (len(reader.segments) - len(sizes))
            return tuple(sizes), True
    return tuple(sizes), False


def _counted_by_reading(reader: _Reader) -> bool:
    # A search over open stages by due date checks the text of every open stage to
    # count, and then again to find a page when its matches are fewer than a page
    # (``2025``: 50 ms each at a million stages on SQLite; ``zoe`` on PostgreSQL:
    # 120 ms to count, 90 to read the page): the count of the running clocks reads
    # their rows in due order instead (the status index holds them so), and the first
    # page is its first rows. (The stopped clocks' segment is read by id, which the
    # status index does not hold: it is still counted. PostgreSQL's searches read by
    # week count and read in ``lists_pg``.)
    return (
        reader.found is not None and reader.filter.scope == "open" and reader.filter.sort == "due"
    )


def _capped_count(reader: _Reader, limit: int, *also: ColumnElement[bool]) -> int:
    """How many rows match (at most ``limit``)."""
    inner = select(literal_column("1").label("one")).select_from(Stage)
    if reader.found is not None and reader.drives:
        # The index's matches drive, streamed: the count stops at the limit rather
        # than looking up every match first.
        found = reader.found.subquery()
        inner = inner.join(found, list(found.c)[0] == col(Stage.case_id))
    if reader.case_where or reader._tests_text(None):
        inner = inner.join(Case, col(Case.id) == col(Stage.case_id))
    rows = inner.where(*reader._where(None), *also).limit(limit).subquery()
    return int(reader.session.execute(select(func.count()).select_from(rows)).scalar_one())


def _open_counts(reader: _Reader) -> tuple[int, ...]:
    # The open stages, unfiltered: few, and the status index holds them.
    sizes = [
        func.count()
        if seg.where is None
        else func.coalesce(func.sum(case((seg.where, 1), else_=0)), 0)
        for seg in reader.segments
    ]
    stmt = select(*sizes).select_from(Stage).where(*reader._where(None))
    return tuple(int(n) for n in reader.session.execute(stmt).one())


def _scope_counts(reader: _Reader) -> tuple[int, ...]:
    # Closed or all stages, unfiltered: a million index entries to count one by one.
    # Instead, counts an index gives by its size (every stage, the stages without a
    # due date) less the open and voided stages, which the status index holds few of.
    def count(*where: ColumnElement[bool]) -> int:
        stmt = select(func.count()).select_from(Stage).where(*where)
        return int(reader.session.execute(stmt).scalar_one())

    closed = reader.filter.scope == "closed"
    left_out = ("voided", *OPEN_STATUSES) if closed else ("voided",)
    if reader.ctx.engine.dialect.name == "postgresql":
        # Even an index's size is a count of its million entries on PostgreSQL
        # (120 ms): the database keeps the counts by status instead.
        kept = {
            key: n
            for key, n in stage_counts.counts(reader.session).items()
            if key[0] not in left_out
        }
        dated = sum(n for (_, has_due), n in kept.items() if has_due)
        if len(reader.segments) == 1:
            return (sum(kept.values()),)
        return (dated, sum(kept.values()) - dated)
    left = col(Stage.status).in_(left_out)  # few: the status index holds them
    if len(reader.segments) == 1:
        return (count() - count(left),)
    undated = col(Stage.due).is_(None)
    total, no_due = count() - count(left), count(undated) - count(undated, left)
    return (total - no_due, no_due)
