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
from complaints_tui.domain.errors import ConflictError, DomainError
from complaints_tui.domain.vocab import (
    stage_label,
)
from db import repo
from db.tables import Case, Event, Stage, key

from ..context import Context
from ..stage_clocks import clock_input, stage_state


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

    entry = Event(
        case_id=key(case),
        stage_id=key(stage) if stage else None,
        who=ctx.actor,
        action=action,
        field=field,
        old=text(old),
        new=text(new),
        note=note,
        version=case.version,
    )
    session.add(entry)
    session.info.setdefault("logged", []).append(entry)


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


def _not_past(ctx: Context, day: date | None, what: str) -> None:
    """A date something is still to happen by cannot be before today (a typed 2020)."""
    if day is not None and day < ctx.today():
        raise DomainError(f"{what} {fmt(day)} is in the past.")


def _not_voided(case: Case) -> None:
    """A case logged by mistake takes no action until it is un-voided."""
    if case.voided_on is not None:
        raise DomainError(
            f"{case.reference} was voided on {fmt(case.voided_on)} ({case.void_reason}): "
            f"undo that first with complaints-tui unvoid {case.reference}."
        )


def _current(session: Session, case: Case, stage_id: int | None = None) -> Stage:
    """The stage an action applies to: the one asked for, else the latest open one."""
    _not_voided(case)
    stages = [s for s in repo.case_stages(session, case) if s.voided_on is None]
    if stage_id is not None:
        for s in stages:
            if s.id == stage_id:
                return s
        raise DomainError(f"{case.reference} has no such stage.")
    open_stages = [s for s in stages if s.status in OPEN_STATUSES]
    if not open_stages:
        # Usually a colleague closed it a moment ago: say who, what and when.
        last = [e for e in repo.last_events(session, case, None, 5) if e.stage_id]
        by = f" (last change {describe_change(last[0])})" if last else ""
        raise DomainError(f"{case.reference} has no open stage{by}.")
    return open_stages[-1]


def _open_stage(stage: Stage, case: Case, session: Session | None = None) -> None:
    if stage.status not in OPEN_STATUSES:
        # Usually a colleague got there first: say who, what and when, from the timeline.
        last = repo.last_events(session, case, key(stage), 1) if session else []
        by = f" ({describe_change(last[0])})" if last else ""
        raise DomainError(
            f"{case.reference} {stage_label(stage.procedure, stage.number)} is {stage.status}{by}."
        )


def describe_change(entry: Event) -> str:
    """'R. Okafor recorded responded at 10:02 on 01/12/2026', for a message."""
    from datetime import UTC

    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
    local = at.astimezone()
    what = f"{entry.action}" + (f" ({entry.field})" if entry.field else "")
    return f"{entry.who}: {what} at {local:%H:%M} on {local:%d/%m/%Y}"


APPEND_ONLY = frozenset({"note", "linked", "learning action"})
"""Timeline actions that only add to the record: they never collide with anything."""


def _collides(theirs: Event, ours: Event) -> bool:
    """Did a colleague change what this action changes? Same stage and field, or the
    same field of the case; adding to the record collides with nothing."""
    if theirs.action in APPEND_ONLY and theirs.field is None:
        return False
    if ours.action in APPEND_ONLY and ours.field is None:
        return False
    if theirs.stage_id != ours.stage_id:
        return False
    if theirs.stage_id is None:  # the case's own fields
        return theirs.field is not None and theirs.field == ours.field
    return theirs.field is None or ours.field is None or theirs.field == ours.field


def _merge_or_refuse(session: Session, case: Case, missed: list[Event]) -> None:
    """Before this action commits: refuse it only if it changes what the colleague's
    changes since the officer's screen was read also changed; otherwise it merges."""
    from sqlalchemy import event

    reference = case.reference

    def check(_session: Session) -> None:
        ours = [e for e in session.info.get("logged", []) if e.case_id == case.id]
        for theirs in missed:
            if any(_collides(theirs, mine) for mine in ours):
                raise ConflictError(
                    f"{reference} was changed since you opened it by {describe_change(theirs)}"
                    f"{_changed_to(theirs)}; reload it and try again. Nothing was saved."
                )

    event.listen(session, "before_commit", check, once=True)


def _changed_to(entry: Event) -> str:
    if entry.field and entry.new is not None:
        return f", now {entry.new!r}"
    return ""


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
        _open_stage(stage, case, session)
    return case, stage


def _begin(
    session: Session,
    reference: str,
    expected_version: int | None,
    *,
    append_only: bool = False,
) -> Case:
    """Claim the case for this action: its row is locked and its version moved on.

    ``expected_version`` is the version the officer's screen showed. When colleagues
    have saved since, the action still goes ahead on the case as it is now, unless it
    changes what they changed (checked as it commits, see ``_merge_or_refuse``). A
    command-line action (no version) and an ``append_only`` one (a note, a link, a
    learning action) never conflict.
    """
    case = repo.get_case(session, reference, lock=True)
    current = case.version
    if expected_version is not None and expected_version != current and not append_only:
        _merge_or_refuse(session, case, repo.events_since(session, case, expected_version))
    repo.bump_version(session, case, current)
    return case


def _check_key(ctx: Context, vocabulary: str, key: str | None, what: str) -> None:
    if key and key not in ctx.policy.vocabularies.keys(vocabulary):
        known = ", ".join(sorted(ctx.policy.vocabularies.keys(vocabulary)))
        raise DomainError(f"Unknown {what} {key!r} (known: {known}).")


REFERENCE_LOCK = 7_432_001
"""PostgreSQL advisory lock taken while a reference is chosen (any number of our own)."""


def next_reference(session: Session, year: int) -> str:
    """The next free reference of the year: CT-2026-00042.

    Two officers logging at once must not both take the same number. SQLite: the
    action's transaction holds the write lock (db.engine). PostgreSQL: an advisory lock,
    held until this transaction commits, makes the second wait and then see the first.
    """
    if session.connection().dialect.name == "postgresql":
        session.connection().exec_driver_sql(f"SELECT pg_advisory_xact_lock({REFERENCE_LOCK})")
    prefix = f"CT-{year}-"
    numbers = [
        int(r[len(prefix) :])
        for r in repo.references_with_prefix(session, prefix)
        if r[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:05d}"
