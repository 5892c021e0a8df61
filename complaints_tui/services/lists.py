"""The lists the screens page through: filtered, sorted and paged in the database.

Nothing here loads a whole table. A list is opened once (its count and first page, in one
session) and then read a page at a time, by keyset from a neighbouring page when the
screen has one (so scrolling to page 1,000 costs what page 2 costs) and by offset
otherwise. Each sort follows an index's own column order; the due-date sort is two
segments (running clocks by due date, then stopped or deadline-free stages) because the
databases disagree on where NULLs sort and neither can then use the index.

The SQL is portable: no engine-specific functions, and every date is worked out in
Python with the working-day calendar before it reaches a query.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, tuple_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from complaints_tui.domain.clocks import OPEN_STATUSES, working_days_left
from complaints_tui.domain.vocab import STAGED_PROCEDURES, stage_label
from db.tables import Case, LearningAction, Stage, Suspension

from .context import Context

PAGE = 100
"""Rows fetched at a time: a few screens' worth, well under the 5 ms a page costs."""

SCOPES: dict[str, str] = {"open": "Open", "closed": "Closed", "all": "All"}
"""Which stages the case list shows: running clocks, finished ones, or every stage."""

SORTS: dict[str, str] = {
    "due": "due date",
    "received": "received, newest first",
    "reference": "reference",
}
"""The case list's orders, each served by an index."""

STAGE_STATUSES = ("open", "suspended", "responded", "closed", "refused", "withdrawn")


# -- the case list ----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFilter:
    """What the officer asked the case list for."""

    scope: str = "open"
    mine: bool = False
    procedure: str | None = None
    stage: int | None = None
    service: str | None = None
    division: str | None = None
    officer: str | None = None
    status: str | None = None
    search: str = ""
    sort: str = "due"

    def but(self, **changes: Any) -> CaseFilter:
        return replace(self, **changes)

    @property
    def narrowed(self) -> bool:
        """True when any filter beyond the scope and sort is set."""
        return bool(
            self.mine
            or self.procedure
            or self.stage
            or self.service
            or self.division
            or self.officer
            or self.status
            or self.search.strip()
        )


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list: a stage with its case."""

    stage_id: int
    reference: str
    version: int
    procedure: str
    number: int
    label: str
    received: date
    due: date | None
    days_left: int | None
    """Working days to the due date (negative: overdue); None when the clock is not running."""
    status: str
    service: str | None
    division: str | None
    officer: str | None
    complainant: str | None
    summary: str
    key: tuple[Any, ...] = field(default=(), compare=False, repr=False)
    """Where the row sits in its sort: (segment, sort values...), for keyset paging."""


@dataclass(frozen=True)
class _Segment:
    where: ColumnElement[bool] | None
    columns: tuple[Any, ...]
    descending: bool = False


def _segments(sort: str) -> tuple[_Segment, ...]:
    if sort == "due":
        return (
            _Segment(col(Stage.due).is_not(None), (col(Stage.due), col(Stage.id))),
            _Segment(col(Stage.due).is_(None), (col(Stage.id),)),
        )
    if sort == "received":
        return (_Segment(None, (col(Stage.received), col(Stage.id)), descending=True),)
    if sort == "reference":
        return (_Segment(None, (col(Case.reference), col(Stage.id))),)
    raise ValueError(f"unknown sort {sort!r} (known: {', '.join(SORTS)})")


@dataclass(frozen=True)
class CaseListing:
    """A filter's rows as a screen pages through them: the counts and the first page."""

    filter: CaseFilter
    total: int
    segment_sizes: tuple[int, ...]
    first: tuple[CaseRow, ...]
    working_days: bool = True
    """False: rows carry no days_left (the calendar was not needed to read them)."""


_ROW_COLUMNS = (
    col(Stage.id),
    col(Case.reference),
    col(Case.version),
    col(Stage.procedure),
    col(Stage.number),
    col(Stage.received),
    col(Stage.due),
    col(Stage.status),
    col(Case.service),
    col(Case.division),
    col(Case.officer),
    col(Case.complainant_name),
    col(Case.summary),
)


def _contains(ctx: Context, column: Any, word: str) -> ColumnElement[bool]:
    # SQLite's LIKE already ignores ASCII case; elsewhere ILIKE (lower() LIKE lower())
    # does. Choosing here keeps SQLite off a lower() call per row per column.
    if ctx.engine.dialect.name == "sqlite":
        return column.contains(word, autoescape=True)
    return column.icontains(word, autoescape=True)


def _scope(f: CaseFilter, segment: int | None = None) -> list[ColumnElement[bool]]:
    if f.scope == "open":
        if f.sort == "due" and segment == 0:
            # A stopped clock has no due date, so the running clocks are exactly the 'open'
            # stages: an equality the (status, due, id) index answers in order, where the
            # IN would make SQLite walk every due date of the table.
            return [col(Stage.status) == "open"]
        return [col(Stage.status).in_(OPEN_STATUSES)]
    if f.scope == "closed":
        return [col(Stage.status).not_in((*OPEN_STATUSES, "voided"))]
    if f.scope == "all":
        return [col(Stage.status) != "voided"]  # logged by mistake: in no list
    raise ValueError(f"unknown scope {f.scope!r} (known: {', '.join(SCOPES)})")


def _stage_conditions(ctx: Context, f: CaseFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.status:
        where.append(col(Stage.status) == f.status)
    if f.procedure:
        where.append(col(Stage.procedure) == f.procedure)
    if f.stage:
        where.append(col(Stage.number) == f.stage)
    return where


def _case_conditions(ctx: Context, f: CaseFilter, case: Any = Case) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.mine:
        where.append(col(case.officer) == ctx.actor)
    for column, value in (
        (col(case.service), f.service),
        (col(case.division), f.division),
        (col(case.officer), f.officer),
    ):
        if value:
            where.append(column == value)
    for word in f.search.split():
        if is_reference_part(word):
            # Digits are a reference being typed: one column to match, not three.
            where.append(_contains(ctx, col(case.reference), word))
            continue
        where.append(
            or_(
                _contains(ctx, col(case.reference), word),
                _contains(ctx, col(case.summary), word),
                _contains(ctx, col(case.complainant_name), word),
            )
        )
    return where


_REFERENCE_PART = re.compile(r"^(ct-?)?[0-9][0-9-]*$", re.IGNORECASE)


def _narrow_reference(word: str) -> bool:
    """A reference part that matches few cases: not a year or a digit or two (those
    match most references, and are counted faster by the plain join)."""
    digits = word.lower().removeprefix("ct").lstrip("-")
    return len(digits) >= 4 and not re.fullmatch(r"\d{4}-?", digits)


def is_reference_part(word: str) -> bool:
    """'00042', '2026-00042', 'CT-2026-0004': a search word only a reference can match."""
    return bool(_REFERENCE_PART.match(word))


def _row(
    ctx: Context,
    today: date,
    segment: int,
    values: Sequence[Any],
    working_days: bool,
) -> CaseRow:
    sid, ref, version, proc, num, received, due, status, service, division, officer, name, summ = (
        values[: len(_ROW_COLUMNS)]
    )
    running = due is not None and status in OPEN_STATUSES
    return CaseRow(
        stage_id=sid,
        reference=ref,
        version=version,
        procedure=proc,
        number=num,
        label=stage_label(proc, num),
        received=received,
        due=due,
        days_left=working_days_left(ctx.cal, today, due) if running and working_days else None,
        status=status,
        service=service,
        division=division,
        officer=officer,
        complainant=name,
        summary=summary_line(summ),
        key=(segment, *values[len(_ROW_COLUMNS) :]),
    )


def summary_line(text: str) -> str:
    """A summary on one line (lists truncate it to the width they have)."""
    return " ".join(text.split())


FEW = 500
"""Below this many matching rows, a page is read from the matching cases and sorted."""


class _Reader:
    """Runs one filter's queries in one session."""

    def __init__(
        self,
        ctx: Context,
        session: Session,
        f: CaseFilter,
        total: int | None = None,
        working_days: bool = True,
    ) -> None:
        self.working_days = working_days
        self.ctx, self.session, self.filter = ctx, session, f
        self.stage_where = _stage_conditions(ctx, f)
        self.case_where = _case_conditions(ctx, f)
        self.segments = _segments(f.sort)
        self.today = ctx.today()
        words = f.search.split()
        # A reference being typed is counted through the reference index (covering, so no
        # case row is read) rather than by joining every stage to its case to test it.
        self.by_reference = (
            f.scope != "open"
            and bool(words)
            and all(is_reference_part(w) for w in words)
            and any(_narrow_reference(w) for w in words)
            and not (f.mine or f.service or f.division or f.officer)
        )
        self.few = False
        if total is not None:
            self.know(total)

    def know(self, total: int) -> None:
        # A search matching few of all the stages is cheaper read from the matching cases
        # and sorted than by walking the sort's index past every row that does not match.
        # Open stages are few anyway and the status index reads them directly.
        self.few = total <= FEW and bool(self.case_where) and self.filter.scope != "open"

    def _where(self, segment: int | None) -> list[ColumnElement[bool]]:
        where = [*_scope(self.filter, segment), *self.stage_where]
        if self.by_reference if segment is None else self.few:
            matching = aliased(Case)
            where.append(
                col(Stage.case_id).in_(
                    select(col(matching.id)).where(
                        *_case_conditions(self.ctx, self.filter, matching)
                    )
                )
            )
        else:
            where += self.case_where
        if segment is not None and (seg := self.segments[segment]).where is not None:
            where.append(seg.where)
        return where

    def counts(self) -> tuple[int, ...]:
        """Each segment's row count, in one pass."""
        sizes = [
            func.count()
            if seg.where is None
            else func.coalesce(func.sum(case((seg.where, 1), else_=0)), 0)
            for seg in self.segments
        ]
        stmt = select(*sizes).select_from(Stage)
        if self.case_where and not self.by_reference:  # stages alone: one small index
            stmt = stmt.join(Case, col(Case.id) == col(Stage.case_id))
        return tuple(int(n) for n in self.session.execute(stmt.where(*self._where(None))).one())

    def query(
        self,
        segment: int,
        *,
        limit: int,
        offset: int = 0,
        after: tuple[Any, ...] | None = None,
        before: tuple[Any, ...] | None = None,
        backwards: bool = False,
    ) -> list[CaseRow]:
        """Rows of one segment in sort order (``backwards``: from its end, returned reversed)."""
        seg = self.segments[segment]
        key = tuple_(*seg.columns)
        where = self._where(segment)
        if after is not None:
            where.append(key < tuple_(*after) if seg.descending else key > tuple_(*after))
        if before is not None:
            where.append(key > tuple_(*before) if seg.descending else key < tuple_(*before))
        descending = seg.descending != backwards
        order = [c.desc() if descending else c.asc() for c in seg.columns]
        stmt = (
            select(*_ROW_COLUMNS, *seg.columns)
            .select_from(Stage)
            .join(Case, col(Case.id) == col(Stage.case_id))
            .where(*where)
            .order_by(*order)
            .limit(limit)
            .offset(offset or None)
        )
        rows = [
            _row(self.ctx, self.today, segment, r, self.working_days)
            for r in self.session.execute(stmt)
        ]
        if backwards:
            rows.reverse()
        return rows


def open_listing(
    ctx: Context, f: CaseFilter, *, limit: int = PAGE, working_days: bool = True
) -> CaseListing:
    """The counts and first page of a filter (one session, so they agree).

    ``working_days=False`` leaves ``days_left`` out, so the rows can be read before the
    working-day calendar exists (the app's first paint, while it is still being built).
    """
    with Session(ctx.engine) as session:
        reader = _Reader(ctx, session, f, working_days=working_days)
        sizes = reader.counts()
        reader.know(sum(sizes))
        rows: list[CaseRow] = []
        for segment, size in enumerate(sizes):
            if len(rows) >= limit:
                break
            if size:
                rows += reader.query(segment, limit=limit - len(rows))
    return CaseListing(f, sum(sizes), sizes, tuple(rows), working_days)


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
        reader = _Reader(ctx, session, listing.filter, listing.total, listing.working_days)
        if after is not None:
            return _forward(reader, sizes, after.key[0], after.key[1:], limit)
        if before is not None or offset + limit >= listing.total:
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


@dataclass(frozen=True)
class FilterChoices:
    """The values the filters offer, as they occur in the data."""

    services: tuple[str, ...]
    divisions: tuple[str, ...]
    officers: tuple[str, ...]


def filter_choices(ctx: Context) -> FilterChoices:
    with Session(ctx.engine) as session:

        def distinct(column: Any) -> tuple[str, ...]:
            stmt = select(column).where(column.is_not(None)).distinct().order_by(column)
            return tuple(v for v in session.execute(stmt).scalars() if v)

        return FilterChoices(
            distinct(col(Case.service)), distinct(col(Case.division)), distinct(col(Case.officer))
        )


@dataclass(frozen=True)
class CaseHit:
    reference: str
    procedure: str
    complainant: str | None
    summary: str


def find_references(ctx: Context, text: str, *, limit: int = 8) -> list[CaseHit]:
    """Cases whose reference contains ``text`` (the command palette's jump to a case)."""
    text = text.strip()
    if not text:
        return []
    with Session(ctx.engine) as session:
        stmt = (
            select(
                col(Case.reference),
                col(Case.procedure),
                col(Case.complainant_name),
                col(Case.summary),
            )
            .where(_contains(ctx, col(Case.reference), text))
            .order_by(col(Case.reference).desc())
            .limit(limit)
        )
        return [CaseHit(r, p, n, summary_line(s)) for r, p, n, s in session.execute(stmt)]


# -- the duty triage queue ------------------------------------------------------------------


@dataclass(frozen=True)
class ContactRow:
    """An untriaged duty contact."""

    reference: str
    version: int
    received: date
    who: str | None
    channel: str | None
    service: str | None
    summary: str
    pending_since: date | None = None
    """Awaiting further information since this day (it stays in the queue until triaged)."""


def _queue_where() -> list[ColumnElement[bool]]:
    # Driven from the stages' status index: open stages are few, duty contacts fewer.
    return [
        col(Stage.status).in_(OPEN_STATUSES),
        col(Stage.procedure) == "duty",
        col(Case.procedure) == "duty",
        or_(col(Case.duty_category).is_(None), col(Case.duty_category) == "pending_information"),
    ]


def triage_count(ctx: Context) -> int:
    with Session(ctx.engine) as session:
        stmt = (
            select(func.count())
            .select_from(Stage)
            .join(Case, col(Case.id) == col(Stage.case_id))
            .where(*_queue_where())
        )
        return session.execute(stmt).scalar_one()


def triage_queue(ctx: Context, *, offset: int = 0, limit: int = PAGE) -> list[ContactRow]:
    """Untriaged contacts, oldest first: the order the duty officer works through them."""
    with Session(ctx.engine) as session:
        stmt = (
            select(
                col(Case.reference),
                col(Case.version),
                col(Stage.received),
                col(Case.complainant_name),
                col(Case.channel),
                col(Case.service),
                col(Case.summary),
                col(Case.pending_since),
            )
            .select_from(Stage)
            .join(Case, col(Case.id) == col(Stage.case_id))
            .where(*_queue_where())
            .order_by(col(Stage.received), col(Stage.id))
            .limit(limit)
            .offset(offset or None)
        )
        return [
            ContactRow(
                ref, version, received, who, channel, service, summary_line(summary), pending
            )
            for ref, version, received, who, channel, service, summary, pending in session.execute(
                stmt
            )
        ]


# -- the deadlines ----------------------------------------------------------------------------

DEADLINE_GROUPS: dict[str, str] = {
    "overdue": "Overdue",
    "today": "Due today",
    "this_week": "Due this week",
    "next_week": "Due next week",
    "later": "Due later",
    "suspended": "Clock stopped",
    "acknowledgements": "Acknowledgements due",
    "windows": "Escalation windows open",
    "learning": "Learning actions due",
}
"""The deadlines screen's groups, in the order it shows them."""

CLOCK_GROUPS = ("overdue", "today", "this_week", "next_week", "later")


@dataclass(frozen=True)
class DeadlineGroup:
    key: str
    title: str
    count: int


@dataclass(frozen=True)
class DeadlineItem:
    """One deadline: a running clock, a stopped one, an acknowledgement, a window or an action."""

    group: str
    reference: str
    version: int
    stage_id: int
    procedure: str
    number: int
    label: str
    when: date | None
    """The date that matters: due, stopped since, acknowledge by, may escalate until, action due."""
    days_left: int | None
    status: str
    officer: str | None
    service: str | None
    text: str
    """The case summary, or the learning action's text."""
    learning_id: int | None = None
    owner: str | None = None

    @property
    def is_clock(self) -> bool:
        """A stage whose clock is still the team's to meet (extend and respond apply)."""
        return self.group in CLOCK_GROUPS or self.group in ("suspended", "acknowledgements")


@dataclass(frozen=True)
class _Bounds:
    today: date
    week_end: date
    next_week_end: date
    window_from: date
    """The earliest response date whose escalation window is still open today."""


def _bounds(ctx: Context) -> _Bounds:
    today = ctx.today()
    week_end = today + timedelta(days=6 - today.weekday())
    # The window closes N working days after the response: step back to the first response
    # date whose window still reaches today (monotone, so the first miss ends the walk).
    day = today
    while ctx.cal.add_working_days(day - timedelta(days=1), ctx.policy.escalation_window) >= today:
        day -= timedelta(days=1)
    return _Bounds(today, week_end, week_end + timedelta(days=7), day)


def _clock_where(group: str, b: _Bounds) -> list[ColumnElement[bool]]:
    where = [col(Stage.status) == "open", col(Stage.due).is_not(None)]
    if group == "overdue":
        where.append(col(Stage.due) < b.today)
    elif group == "today":
        where.append(col(Stage.due) == b.today)
    elif group == "this_week":
        where += [col(Stage.due) > b.today, col(Stage.due) <= b.week_end]
    elif group == "next_week":
        where += [col(Stage.due) > b.week_end, col(Stage.due) <= b.next_week_end]
    elif group == "later":
        where.append(col(Stage.due) > b.next_week_end)
    return where


def _ack_where() -> list[ColumnElement[bool]]:
    return [
        col(Stage.status).in_(OPEN_STATUSES),
        col(Stage.procedure).in_(sorted(STAGED_PROCEDURES)),
        col(Stage.acknowledged).is_(None),
    ]


def _window_where(b: _Bounds) -> list[ColumnElement[bool]]:
    later = aliased(Stage)
    escalated = exists().where(
        col(later.case_id) == col(Stage.case_id),
        col(later.procedure) == col(Stage.procedure),
        col(later.number) == col(Stage.number) + 1,
    )
    return [
        col(Stage.status) == "responded",
        col(Stage.responded) >= b.window_from,
        col(Stage.procedure).in_(sorted(STAGED_PROCEDURES)),
        col(Stage.number) < 3,
        or_(col(Stage.outcome).is_(None), col(Stage.outcome) != "withdrawn"),
        ~escalated,
    ]


def deadline_groups(ctx: Context) -> tuple[DeadlineGroup, ...]:
    """Every group with its count (the running clocks counted in one pass of the index)."""
    b = _bounds(ctx)
    with Session(ctx.engine) as session:

        def when(group: str) -> Any:
            conds = _clock_where(group, b)[2:]
            return func.coalesce(func.sum(case((and_(*conds), 1), else_=0)), 0)

        clocks = session.execute(
            select(*(when(g) for g in CLOCK_GROUPS)).where(*_clock_where("", b))
        ).one()
        counts = dict(zip(CLOCK_GROUPS, clocks, strict=True))

        def count(stmt: Any) -> int:
            return int(session.execute(stmt).scalar_one())

        counts["suspended"] = count(select(func.count()).where(col(Stage.status) == "suspended"))
        counts["acknowledgements"] = count(select(func.count()).where(*_ack_where()))
        counts["windows"] = count(select(func.count()).select_from(Stage).where(*_window_where(b)))
        counts["learning"] = count(select(func.count()).where(col(LearningAction.status) == "open"))
    return tuple(DeadlineGroup(k, t, int(counts[k])) for k, t in DEADLINE_GROUPS.items())


def deadline_items(
    ctx: Context, group: str, *, offset: int = 0, limit: int = PAGE
) -> list[DeadlineItem]:
    """A page of one group, soonest first."""
    b = _bounds(ctx)
    cal, policy = ctx.cal, ctx.policy
    base = (
        col(Stage.id),
        col(Case.reference),
        col(Case.version),
        col(Stage.procedure),
        col(Stage.number),
        col(Stage.status),
        col(Case.officer),
        col(Case.service),
        col(Case.summary),
    )
    stmt: Any  # each group selects its own date column
    with Session(ctx.engine) as session:
        if group == "learning":
            stmt = (
                select(
                    *base,
                    col(LearningAction.id),
                    col(LearningAction.text),
                    col(LearningAction.owner),
                    col(LearningAction.due),
                )
                .select_from(LearningAction)
                .join(Stage, col(Stage.id) == col(LearningAction.stage_id))
                .join(Case, col(Case.id) == col(Stage.case_id))
                .where(col(LearningAction.status) == "open")
                .order_by(
                    col(LearningAction.due).is_(None),
                    col(LearningAction.due),
                    col(LearningAction.id),
                )
            )
        elif group in CLOCK_GROUPS:
            stmt = (
                select(*base, col(Stage.due))
                .join(Case, col(Case.id) == col(Stage.case_id))
                .where(*_clock_where(group, b))
                .order_by(col(Stage.due), col(Stage.id))
            )
        elif group == "suspended":
            stmt = (
                select(*base, col(Suspension.start))
                .join(Case, col(Case.id) == col(Stage.case_id))
                .join(Suspension, col(Suspension.stage_id) == col(Stage.id))
                .where(col(Stage.status) == "suspended", col(Suspension.end).is_(None))
                .order_by(col(Suspension.start), col(Stage.id))
            )
        elif group == "acknowledgements":
            stmt = (
                select(*base, col(Stage.received))
                .join(Case, col(Case.id) == col(Stage.case_id))
                .where(*_ack_where())
                .order_by(col(Stage.received), col(Stage.id))
            )
        elif group == "windows":
            stmt = (
                select(*base, col(Stage.responded))
                .join(Case, col(Case.id) == col(Stage.case_id))
                .where(*_window_where(b))
                .order_by(col(Stage.responded), col(Stage.id))
            )
        else:
            raise ValueError(f"unknown deadline group {group!r}")
        rows = session.execute(stmt.limit(limit).offset(offset or None)).all()
    items = []
    for row in rows:
        sid, ref, version, proc, num, status, officer, service, summary = row[:9]
        learning_id, owner, text = None, None, summary_line(summary)
        if group == "learning":
            learning_id, text, owner, when = row[9], row[10], row[11], row[12]
        elif group == "acknowledgements":
            when = cal.add_working_days(row[9], policy.acknowledgement)
        elif group == "windows":
            when = cal.add_working_days(row[9], policy.escalation_window)
        else:
            when = row[9]
        days = None
        if when is not None and group != "suspended":
            days = working_days_left(cal, b.today, when)
        items.append(
            DeadlineItem(
                group=group,
                reference=ref,
                version=version,
                stage_id=sid,
                procedure=proc,
                number=num,
                label=stage_label(proc, num),
                when=when,
                days_left=days,
                status=status,
                officer=officer,
                service=service,
                text=text,
                learning_id=learning_id,
                owner=owner,
            )
        )
    return items


def deadline_rows(
    ctx: Context, groups: Sequence[DeadlineGroup], *, offset: int, limit: int = PAGE
) -> list[DeadlineGroup | DeadlineItem]:
    """A page of the deadlines screen: each group's heading followed by its items."""
    out: list[DeadlineGroup | DeadlineItem] = []
    start = 0
    for g in groups:
        end = start + 1 + g.count
        if offset < end and offset + limit > start:
            if offset <= start:
                out.append(g)
            first = max(0, offset - start - 1)
            want = min(g.count - first, offset + limit - (start + 1 + first))
            if want > 0:
                out += deadline_items(ctx, g.key, offset=first, limit=want)
        start = end
        if start >= offset + limit:
            break
    return out
