"""The deadlines screen's groups and their items, each read a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from complaints_tui.domain.clocks import OPEN_STATUSES, working_days_left
from complaints_tui.domain.vocab import STAGED_PROCEDURES, stage_label
from db.tables import Case, LearningAction, Stage, Suspension

from .context import Context
from .lists_model import PAGE, summary_line

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
    team: int | None = None
    """The whole team's count, when ``count`` is one officer's."""


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


def _counts(session: Session, b: _Bounds, officer: str | None) -> dict[str, int]:
    def mine(stmt: Any) -> Any:
        if officer is None:
            return stmt
        return stmt.join(Case, col(Case.id) == col(Stage.case_id)).where(
            col(Case.officer) == officer
        )

    def when(group: str) -> Any:
        conds = _clock_where(group, b)[2:]
        return func.coalesce(func.sum(case((and_(*conds), 1), else_=0)), 0)

    clocks = session.execute(
        mine(select(*(when(g) for g in CLOCK_GROUPS)).select_from(Stage)).where(
            *_clock_where("", b)
        )
    ).one()
    counts = dict(zip(CLOCK_GROUPS, clocks, strict=True))

    def count(stmt: Any) -> int:
        return int(session.execute(stmt).scalar_one())

    total = select(func.count()).select_from(Stage)
    counts["suspended"] = count(mine(total).where(col(Stage.status) == "suspended"))
    counts["acknowledgements"] = count(mine(total).where(*_ack_where()))
    counts["windows"] = count(mine(total).where(*_window_where(b)))
    learning = (
        select(func.count())
        .select_from(LearningAction)
        .join(Stage, col(Stage.id) == col(LearningAction.stage_id))
    )
    counts["learning"] = count(
        mine(learning).where(col(LearningAction.status) == "open", col(Stage.status) != "voided")
    )
    return counts


def deadline_groups(ctx: Context, officer: str | None = None) -> tuple[DeadlineGroup, ...]:
    """Every group with its count (the running clocks counted in one pass of the index).

    With ``officer``, the counts are that officer's cases and ``team`` the whole team's.
    """
    b = _bounds(ctx)
    with Session(ctx.engine) as session:
        counts = _counts(session, b, officer)
        team = _counts(session, b, None) if officer is not None else {}
    return tuple(
        DeadlineGroup(k, t, int(counts[k]), int(team[k]) if team else None)
        for k, t in DEADLINE_GROUPS.items()
    )


def deadline_items(
    ctx: Context, group: str, *, offset: int = 0, limit: int = PAGE, officer: str | None = None
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
                .where(col(LearningAction.status) == "open", col(Stage.status) != "voided")
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
        if officer is not None:
            stmt = stmt.where(col(Case.officer) == officer)
        rows = session.execute(stmt.limit(limit).offset(offset or None)).all()
    items = []
    for row in rows:
        sid, ref, version, proc, num, status, officer, service, summary = row[:9]
        learning_id, owner, text = None, None, summary_line(summary)
        # The stage's own calendar: the regulations' working days ignore closure days.
        counts_in = ctx.cal_for(proc)
        if group == "learning":
            learning_id, text, owner, when = row[9], row[10], row[11], row[12]
        elif group == "acknowledgements":
            when = counts_in.add_working_days(row[9], policy.acknowledgement)
        elif group == "windows":
            when = cal.add_working_days(row[9], policy.escalation_window)
        else:
            when = row[9]
        days = None
        if when is not None and group != "suspended":
            days = working_days_left(counts_in, b.today, when)
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
    ctx: Context,
    groups: Sequence[DeadlineGroup],
    *,
    offset: int,
    limit: int = PAGE,
    officer: str | None = None,
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
                out += deadline_items(ctx, g.key, offset=first, limit=want, officer=officer)
        start = end
        if start >= offset + limit:
            break
    return out
