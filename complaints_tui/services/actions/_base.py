"""Shared by every officer action: the result, the timeline entry, claiming the case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from complaints_tui.domain.clocks import (
    OPEN_STATUSES,
    clock_start_of,
    fmt,
)
from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.vocab import (
    stage_label,
)
from db import repo
from db.tables import Case, Event, Stage, key

from ..context import Context
from ..store import clock_input, stage_state


@dataclass(frozen=True)
class Done:
    """What an action did, in words for a notification."""

    reference: str
    message: str
    warnings: tuple[str, ...] = ()


def _log(
    session: Session,
    ctx: Context,
    case: Case,
    action: str,
    *,
    stage: Stage | None = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    note: str | None = None,
) -> None:
    def text(value: Any) -> str | None:
        if value is None:
            return None
        return value.isoformat() if isinstance(value, date) else str(value)

    session.add(
        Event(
            case_id=key(case),
            stage_id=key(stage) if stage else None,
            who=ctx.actor,
            action=action,
            field=field,
            old=text(old),
            new=text(new),
            note=note,
        )
    )


def _set(
    session: Session, ctx: Context, case: Case, obj: Any, field: str, value: Any, action: str
) -> None:
    """Change one field and log old and new values."""
    old = getattr(obj, field)
    if old == value:
        return
    setattr(obj, field, value)
    _log(
        session,
        ctx,
        case,
        action,
        stage=obj if isinstance(obj, Stage) else None,
        field=field,
        old=old,
        new=value,
    )


def _refresh(ctx: Context, session: Session, case: Case, stage: Stage) -> None:
    """Recompute a stage's due date and status, then the case's status."""
    session.flush()
    spans = [(s.start, s.end) for s in repo.stage_suspensions(session, stage)]
    voided = case.voided_on is not None or stage.voided_on is not None
    for name, value in stage_state(ctx, stage, spans, voided=voided).items():
        setattr(stage, name, value)
    if case.voided_on is not None:
        case.status = "voided"
        return
    stages = [s for s in repo.case_stages(session, case) if s.voided_on is None]
    if case.status == "voided":  # restored: open or closed by its stages, below
        case.status = "closed"
    still_open = any(s.status in OPEN_STATUSES for s in stages)
    if still_open and case.status != "open":
        case.status, case.closed_on = "open", None
    elif not still_open and case.status == "open":
        ended = [d for s in stages for d in (s.responded, s.closed_on) if d]
        case.status, case.closed_on = "closed", max(ended) if ended else ctx.today()


def actual_clock_start(ctx: Context, stage: Stage) -> date:
    """The day the stage's clock really started: a provisional start (an acknowledgement
    not yet recorded) is only a deadline's assumption, so the receipt counts instead."""
    clock = clock_input(stage, [])
    start = clock_start_of(clock, ctx.policy, ctx.cal_for(stage.procedure))
    return stage.received if start.provisional else start.day


def _not_future(ctx: Context, day: date, what: str) -> None:
    if day > ctx.today():
        raise DomainError(f"{what} {fmt(day)} is in the future.")


def _current(session: Session, case: Case, stage_id: int | None = None) -> Stage:
    """The stage an action applies to: the one asked for, else the latest open one."""
    if case.voided_on is not None:
        raise DomainError(
            f"{case.reference} was voided on {fmt(case.voided_on)} ({case.void_reason}): "
            f"undo that first with complaints-tui unvoid {case.reference}."
        )
    stages = [s for s in repo.case_stages(session, case) if s.voided_on is None]
    if stage_id is not None:
        for s in stages:
            if s.id == stage_id:
                return s
        raise DomainError(f"{case.reference} has no such stage.")
    open_stages = [s for s in stages if s.status in OPEN_STATUSES]
    if not open_stages:
        raise DomainError(f"{case.reference} has no open stage.")
    return open_stages[-1]


def _open_stage(stage: Stage, case: Case) -> None:
    if stage.status not in OPEN_STATUSES:
        raise DomainError(
            f"{case.reference} {stage_label(stage.procedure, stage.number)} is {stage.status}."
        )


def _required(text: str | None, message: str) -> str:
    """The text trimmed, or a refusal with ``message`` when it is blank."""
    if not (text or "").strip():
        raise DomainError(message)
    return (text or "").strip()


def _stage_for(
    session: Session,
    reference: str,
    expected_version: int | None,
    stage_id: int | None,
    *,
    running: bool = False,
) -> tuple[Case, Stage]:
    """Claim the case and find the stage an action applies to (an open one if ``running``)."""
    case = _begin(session, reference, expected_version)
    stage = _current(session, case, stage_id)
    if running:
        _open_stage(stage, case)
    return case, stage


def _begin(session: Session, reference: str, expected_version: int | None) -> Case:
    case = repo.get_case(session, reference)
    repo.bump_version(session, case, expected_version)
    return case


def _check_key(ctx: Context, vocabulary: str, key: str | None, what: str) -> None:
    if key and key not in ctx.policy.vocabularies.keys(vocabulary):
        known = ", ".join(sorted(ctx.policy.vocabularies.keys(vocabulary)))
        raise DomainError(f"Unknown {what} {key!r} (known: {known}).")


def next_reference(session: Session, year: int) -> str:
    """The next free reference of the year: CT-2026-00042."""
    prefix = f"CT-{year}-"
    numbers = [
        int(r[len(prefix) :])
        for r in repo.references_with_prefix(session, prefix)
        if r[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:05d}"
