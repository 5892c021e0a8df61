"""The lists the screens page through: filtered, sorted and paged in the database.

Nothing here loads a whole table. A list is opened once (its count and first page, in one
session) and then read a page at a time, by keyset from a neighbouring page when the
screen has one (so scrolling to page 1,000 costs what page 2 costs) and by offset
otherwise. Each sort follows an index's own column order; the due-date sort is two
segments (running clocks by due date, then stopped or deadline-free stages) because the
databases disagree on where NULLs sort and neither can then use the index.

The SQL is portable: no engine-specific functions, and every date is worked out in
Python with the working-day calendar before it reaches a query.

The modules split from this one, re-exported here so every screen imports one place:
``lists_model`` (filters, rows, constants), ``lists_sql`` (the case list's queries),
``lists_triage`` (the duty queue) and ``lists_deadlines`` (the deadlines screen).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from complaints_tui.domain.search_text import search_words
from db import repo, search
from db.tables import Case

from .context import Context
from .lists_deadlines import (
    CLOCK_GROUPS,
    DEADLINE_GROUPS,
    DeadlineGroup,
    DeadlineItem,
    deadline_groups,
    deadline_items,
    deadline_rows,
)
from .lists_model import (
    CAP,
    DRIVE,
    PAGE,
    SCOPES,
    SORTS,
    STAGE_STATUSES,
    UNASSIGNED,
    CaseFilter,
    CaseHit,
    CaseListing,
    CaseRow,
    FilterChoices,
    Found,
    summary_line,
)
from .lists_sql import _Reader
from .lists_triage import ContactRow, triage_count, triage_queue

__all__ = [
    "CLOCK_GROUPS",
    "DEADLINE_GROUPS",
    "CAP",
    "DRIVE",
    "PAGE",
    "SCOPES",
    "SORTS",
    "STAGE_STATUSES",
    "UNASSIGNED",
    "CaseFilter",
    "CaseHit",
    "CaseListing",
    "CaseRow",
    "ContactRow",
    "DeadlineGroup",
    "DeadlineItem",
    "FilterChoices",
    "Found",
    "deadline_groups",
    "deadline_items",
    "deadline_rows",
    "fetch_rows",
    "filter_choices",
    "find_cases",
    "find_references",
    "open_listing",
    "summary_line",
    "triage_count",
    "triage_queue",
]


def open_listing(
    ctx: Context,
    f: CaseFilter,
    *,
    limit: int = PAGE,
    working_days: bool = True,
    cap: int = CAP,
    drive: int | None = None,
) -> CaseListing:
    """The counts and first page of a filter (one session, so they agree).

    ``working_days=False`` leaves ``days_left`` out, so the rows can be read before the
    working-day calendar exists (the app's first paint, while it is still being built).
    A narrowed filter is counted up to ``cap`` stages (``CaseListing.capped`` beyond); a
    search matching up to ``drive`` cases is read from its matches (see ``DRIVE``).
    """
    if drive is None:
        # PostgreSQL estimates a search's matches and chooses its plan by them; counting
        # them further would cost a look at each match's row.
        drive = DRIVE if ctx.engine.dialect.name == "sqlite" else cap
    with Session(ctx.engine) as session:
        reader = _Reader(ctx, session, f, working_days=working_days, cap=cap, drive=drive)
        sizes, capped = reader.counts()
        reader.know(sum(sizes), capped)
        rows: list[CaseRow] = []
        for segment, size in enumerate(sizes):
            if len(rows) >= limit:
                break
            if size:
                rows += reader.query(segment, limit=limit - len(rows))
    return CaseListing(
        f,
        sum(sizes),
        sizes,
        tuple(rows),
        working_days,
        capped=capped,
        cap=cap,
        broad=reader.broad,
        drive=drive,
        matched=reader.matched if reader.found is not None else None,
    )


def fetch_rows(
    ctx: Context,
    listing: CaseListing,
    *,
    offset: int,
    limit: int = PAGE,
    after: CaseRow | None = None,
    before: CaseRow | None = None,
) -> list[CaseRow]:
    """Rows ``offset`` .. ``offset + limit`` of a listing.

    ``after`` (the row just before ``offset``) or ``before`` (the row just after the page)
    turn the read into a keyset seek; the last page is read backwards from the end. Only a
    jump into the middle with no neighbour on screen pays for an OFFSET.
    """
    sizes = listing.segment_sizes
    limit = max(0, min(limit, listing.total - offset))
    if not limit:
        return []
    with Session(ctx.engine) as session:
        reader = _Reader(
            ctx,
            session,
            listing.filter,
            listing.total,
            listing.working_days,
            cap=listing.cap,
            capped=listing.capped,
            drive=listing.drive,
            matched=listing.matched,
        )
        if after is not None:
            return _forward(reader, sizes, after.key[0], after.key[1:], limit)
        # A capped listing ends where its counting stopped, not at the last match.
        end = offset + limit >= listing.total and not listing.capped
        if before is not None or end:
            anchor = before.key if before is not None else None
            return _backward(reader, sizes, anchor, limit)
        start = offset
        for segment, size in enumerate(sizes):
            if start < size:
                rows = reader.query(segment, limit=limit, offset=start)
                if len(rows) < limit and segment + 1 < len(sizes):
                    rows += _forward(reader, sizes, segment + 1, None, limit - len(rows))
                return rows
            start -= size
    return []


def _forward(
    reader: _Reader, sizes: Sequence[int], segment: int, after: tuple[Any, ...] | None, limit: int
) -> list[CaseRow]:
    rows: list[CaseRow] = []
    while segment < len(sizes) and len(rows) < limit:
        if sizes[segment]:
            rows += reader.query(segment, limit=limit - len(rows), after=after)
        segment, after = segment + 1, None
    return rows


def _backward(
    reader: _Reader, sizes: Sequence[int], anchor: tuple[Any, ...] | None, limit: int
) -> list[CaseRow]:
    segment = len(sizes) - 1 if anchor is None else anchor[0]
    before = None if anchor is None else anchor[1:]
    rows: list[CaseRow] = []
    while segment >= 0 and len(rows) < limit:
        if sizes[segment]:
            rows = (
                reader.query(segment, limit=limit - len(rows), before=before, backwards=True) + rows
            )
        segment, before = segment - 1, None
    return rows


def filter_choices(ctx: Context) -> FilterChoices:
    with Session(ctx.engine) as session:

        def distinct(column: Any) -> tuple[str, ...]:
            return tuple(v for v in repo.distinct_values(session, column) if v)

        return FilterChoices(
            distinct(col(Case.service)), distinct(col(Case.division)), distinct(col(Case.officer))
        )


def find_cases(ctx: Context, text: str, *, limit: int = 8, cap: int = CAP) -> Found:
    """Cases whose searched fields hold every word of ``text``, ignoring case and accents,
    open or closed, of any year: the newest ``limit`` of them and how many in all, counted
    up to ``cap`` (``Found.capped`` beyond, as the case list does)."""
    ids = search.matching_ids(ctx.engine.dialect.name, search_words(text))
    if ids is None:
        return Found(text, 0, (), searched=False)
    with Session(ctx.engine) as session:
        some = select(func.count()).select_from(ids.limit(cap + 1).subquery())
        total = int(session.execute(some).scalar_one())
        # The newest matches straight from the index, read from its end: looking every
        # match up first costs as much as the matches are many.
        (match_id,) = ids.selected_columns
        newest = ids.order_by(match_id.desc()).limit(limit).subquery()
        stmt = (
            select(
                col(Case.reference),
                col(Case.procedure),
                col(Case.complainant_name),
                col(Case.summary),
                col(Case.status),
            )
            .join(newest, list(newest.c)[0] == col(Case.id))
            .order_by(col(Case.id).desc())
        )
        hits = tuple(
            CaseHit(r, p, n, summary_line(s), status)
            for r, p, n, s, status in session.execute(stmt)
        )
    return Found(text, min(total, cap), hits, capped=total > cap)


def find_references(ctx: Context, text: str, *, limit: int = 8) -> list[CaseHit]:
    """The newest cases matching ``text`` (the command palette's jump to a case)."""
    return list(find_cases(ctx, text, limit=limit).hits)
