"""A stage's clock: acknowledgement, extension, clock stops."""

from __future__ import annotations

from datetime import date, timedelta

from complaints_tui.domain.clocks import (
    fmt,
)
from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.vocab import (
    stage_label,
)
from db import repo
from db.engine import transaction
from db.tables import Suspension, key

from ..context import Context
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
    return Done(case.reference, f"{case.reference} acknowledged {fmt(on)}.")


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
    with transaction(ctx.engine) as session:
        case, stage = _stage_for(session, reference, expected_version, stage_id, running=True)
        timescale = ctx.policy.timescale(stage.procedure, stage.number)
        if timescale is None:
            raise DomainError(f"A {stage.procedure} has no deadline to extend.")
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
        _set(session, ctx, case, stage, "extended_to", to_days, "extended")
        _set(session, ctx, case, stage, "extension_agreed", agreed_on, "extended")
        full_reason = reason
        if override_reason:
            full_reason += f" (override: {override_reason.strip()})"
        _set(session, ctx, case, stage, "extension_reason", full_reason, "extended")
        _refresh(ctx, session, case, stage)
        _log(session, ctx, case, "extended", stage=stage, field="due", old=old_due, new=stage.due)
    return Done(
        case.reference,
        f"{case.reference} extended to {to_days} working days: due {fmt(stage.due)}.",
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
    with transaction(ctx.engine) as session:
        case, stage = _stage_for(session, reference, expected_version, stage_id, running=True)
        if stage.status == "suspended":
            raise DomainError(f"{case.reference}'s clock is already stopped.")
        if start < stage.clock_start:
            raise DomainError(
                f"The clock cannot stop ({fmt(start)}) before it started "
                f"({fmt(stage.clock_start)})."
            )
        spans = repo.stage_suspensions(session, stage)
        if any(s.end and s.end >= start for s in spans):
            raise DomainError("That overlaps an earlier suspension.")
        session.add(Suspension(stage_id=key(stage), start=start, reason=reason))
        _log(session, ctx, case, "clock stopped", stage=stage, new=start, note=reason)
        _refresh(ctx, session, case, stage)
    return Done(case.reference, f"{case.reference}: clock stopped from {fmt(start)}.")


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
