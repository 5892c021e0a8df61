"""A stage's clock: acknowledgement, extension, clock stops."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlmodel import Session

from complaints_tui.domain.clocks import (
    acknowledgement_due,
    entered_late,
    fmt,
)
from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.policy import HARD_LIMIT
from complaints_tui.domain.vocab import (
    stage_label,
)
from db import repo
from db.engine import transaction
from db.tables import Case, Stage, Suspension, key

from ..context import Context
from ..stage_clocks import clock_input
from ._base import (
    Done,
    _log,
    _not_future,
    _refresh,
    _required,
    _set,
    _stage_for,
)


def acknowledge(
    ctx: Context,
    reference: str,
    *,
    on: date | None = None,
    stage_id: int | None = None,
    expected_version: int | None = None,
) -> Done:
    on = on or ctx.today()
    _not_future(ctx, on, "Acknowledgement date")
    with transaction(ctx.engine) as session:
        case, stage = _stage_for(session, reference, expected_version, stage_id)
        if on < stage.received:
            raise DomainError(
                f"Acknowledgement {fmt(on)} is before the stage was received "
                f"({fmt(stage.received)})."
            )
        _set(session, ctx, case, stage, "acknowledged", on, "acknowledged")
        old_due = stage.due
        _refresh(ctx, session, case, stage)  # a clock that starts at acknowledgement moves
        if stage.due != old_due:
            _log(
                session,
                ctx,
                case,
                "acknowledged",
                stage=stage,
                field="due",
                old=old_due,
                new=stage.due,
            )
        due = acknowledgement_due(
            stage.procedure, stage.received, ctx.policy, ctx.cal_for(stage.procedure)
        )
    late = due is not None and on > due
    return Done(
        case.reference,
        f"{case.reference} acknowledged {fmt(on)}" + (f" (late: due {fmt(due)})." if late else "."),
    )


def end_open_stops(session: Session, ctx: Context, case: Case, stage: Stage, on: date) -> None:
    """End a clock stop still open as ``resume`` on ``on`` would: ``on`` counts again, so
    a stop that began that same day is no stop at all."""
    for suspension in repo.stage_suspensions(session, stage):
        if suspension.end is not None:
            continue
        if on <= suspension.start:
            session.delete(suspension)
        else:
            suspension.end = on - timedelta(days=1)
        _log(session, ctx, case, "clock restarted", stage=stage, new=on)
    session.flush()


MAX_WORKING_DAYS = 260
"""The longest timescale anyone may type: a year of working days."""


def extend(
    ctx: Context,
    reference: str,
    *,
    to_days: int,
    reason: str,
    agreed_on: date | None = None,
    override_reason: str | None = None,
    stage_id: int | None = None,
    expected_version: int | None = None,
) -> Done:
    """Extend a stage's timescale to ``to_days`` working days from its clock start."""
    agreed_on = agreed_on or ctx.today()
    reason = _required(reason, "An extension needs a reason.")
    # Checked before anything is read: a huge number is refused at once, never counted.
    if to_days > HARD_LIMIT:
        raise DomainError(
            f"No stage may run beyond {HARD_LIMIT} working days, with an override or not."
        )
    _not_future(ctx, agreed_on, "Extension agreed date")
    with transaction(ctx.engine) as session:
        case, stage = _stage_for(session, reference, expected_version, stage_id, running=True)
        label = stage_label(stage.procedure, stage.number)
        if stage.procedure == "lgsco":
            raise DomainError(
                "An Ombudsman enquiry's deadline is the Ombudsman's: it cannot be extended "
                f"(record a later deadline it agreed: deadline {case.reference} --on DATE)."
            )
        if stage.procedure == "statutory" and stage.number == 3:
            raise DomainError(
                "Statutory Stage 3 has no extensions: regulations 19-21 fix the panel, its "
                "report and the response."
            )
        rules = ctx.policy.in_force(stage.received)
        timescale = rules.timescale(stage.procedure, stage.number)
        if timescale is None:
            raise DomainError(f"A {stage.procedure} has no deadline to extend.")
        most = rules.hard_limit(stage.procedure, stage.number)
        if to_days > most:
            raise DomainError(
                f"{label} can never run beyond {most} working days"
                + (
                    f": the regulations allow at most {most}, an override or not."
                    if stage.procedure == "statutory"
                    else "."
                )
            )
        if agreed_on < stage.received:
            raise DomainError(
                f"The extension ({fmt(agreed_on)}) cannot be agreed before the stage was "
                f"received ({fmt(stage.received)})."
            )
        if to_days <= (stage.extended_to or timescale.days):
            raise DomainError(
                f"An extension must be longer than the current "
                f"{stage.extended_to or timescale.days} working days."
            )
        if to_days > timescale.extended and not (override_reason or "").strip():
            raise DomainError(
                f"{stage_label(stage.procedure, stage.number)} may be extended to at most "
                f"{timescale.extended} working days; give an override reason to go further."
            )
        old_due = stage.due
        spans = [(x.start, x.end) for x in repo.stage_suspensions(session, stage)]
        standard_due, _ = ctx.due(replace(clock_input(stage, spans), extended_to=None))
        due_before = stage.due if stage.extended_to is None else standard_due
        late = entered_late(ctx.today(), agreed_on, due_before)
        _set(session, ctx, case, stage, "extended_to", to_days, "extended")
        _set(session, ctx, case, stage, "extension_agreed", agreed_on, "extended")
        _set(session, ctx, case, stage, "extension_recorded", ctx.today(), "extended")
        full_reason = reason
        if override_reason:
            full_reason += f" (override: {override_reason.strip()})"
        _set(session, ctx, case, stage, "extension_reason", full_reason, "extended")
        _refresh(ctx, session, case, stage)
        _log(session, ctx, case, "extended", stage=stage, field="due", old=old_due, new=stage.due)
        if late:
            _log(session, ctx, case, "extended after the due date", stage=stage, old=due_before)
    warnings = (
        (
            (
                f"The stage was already due ({fmt(due_before)}): an extension agreed after the due "
                "date does not make it on time."
            ),
        )
        if late
        else ()
    )
    return Done(
        case.reference,
        f"{case.reference} extended to {to_days} working days: due {fmt(stage.due)}.",
        warnings,
    )


def suspend(
    ctx: Context,
    reference: str,
    *,
    reason: str,
    start: date | None = None,
    stage_id: int | None = None,
    expected_version: int | None = None,
) -> Done:
    """Stop the clock from ``start`` (inclusive) until it is resumed."""
    start = start or ctx.today()
    reason = _required(reason, "Stopping the clock needs a reason.")
    _not_future(ctx, start, "A clock stop's start")
    with transaction(ctx.engine) as session:
        case, stage = _stage_for(session, reference, expected_version, stage_id, running=True)
        if stage.status == "suspended":
            raise DomainError(f"{case.reference}'s clock is already stopped.")
        if stage.procedure == "statutory" and stage.number == 3:
            # A stop would lengthen deadlines the regulations fix, as an extension would.
            raise DomainError(
                "Statutory Stage 3's clock cannot be stopped: regulations 19-21 fix the panel "
                "(30 working days from the request), its report and the response."
            )
        if start < stage.clock_start:
            raise DomainError(
                f"The clock cannot stop ({fmt(start)}) before it started "
                f"({fmt(stage.clock_start)})."
            )
        spans = repo.stage_suspensions(session, stage)
        if any(s.end and s.end >= start for s in spans):
            raise DomainError("That overlaps an earlier suspension.")
        due_before = stage.due
        late = entered_late(ctx.today(), start, due_before)
        session.add(
            Suspension(stage_id=key(stage), start=start, reason=reason, recorded=ctx.today())
        )
        _log(session, ctx, case, "clock stopped", stage=stage, new=start, note=reason)
        if late:
            _log(
                session, ctx, case, "clock stopped after the due date", stage=stage, old=due_before
            )
        _refresh(ctx, session, case, stage)
    warnings = (
        (
            (
                f"The stage was already due ({fmt(due_before)}): a clock stop entered after the "
                "due date does not make it on time."
            ),
        )
        if late
        else ()
    )
    return Done(case.reference, f"{case.reference}: clock stopped from {fmt(start)}.", warnings)


def resume(
    ctx: Context,
    reference: str,
    *,
    on: date | None = None,
    stage_id: int | None = None,
    expected_version: int | None = None,
) -> Done:
    """Restart the clock: ``on`` counts again (the suspension ends the day before)."""
    on = on or ctx.today()
    _not_future(ctx, on, "Resume date")
    with transaction(ctx.engine) as session:
        case, stage = _stage_for(session, reference, expected_version, stage_id)
        current = [s for s in repo.stage_suspensions(session, stage) if s.end is None]
        if not current:
            raise DomainError(f"{case.reference}'s clock is not stopped.")
        suspension = current[0]
        if on < suspension.start:
            raise DomainError(
                f"The clock cannot restart ({fmt(on)}) before it stopped ({fmt(suspension.start)})."
            )
        if on == suspension.start:
            session.delete(suspension)  # stopped and restarted the same day: no stop at all
        else:
            suspension.end = on - timedelta(days=1)
        _log(session, ctx, case, "clock restarted", stage=stage, new=on)
        _refresh(ctx, session, case, stage)
    return Done(case.reference, f"{case.reference}: clock restarted, due {fmt(stage.due)}.")
