"""Statutory Stage 3's review panel, and the independent people of statutory Stage 2.

Regulations 19-21: the panel meets within 30 working days of the request, reports within
5 of meeting, and the authority responds within 15 of the report. Each date recorded here
moves the response's due date (see ``clocks.stage_deadline``).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from complaints_tui.domain.clocks import ClockInput, fmt
from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.vocab import stage_label
from db import repo
from db.engine import transaction
from db.tables import Case, Stage

from ..context import Context
from ..stage_clocks import clock_input
from ._base import Done, _begin, _not_future, _not_voided, _refresh, _set


def _statutory_stage(session: Session, case: Case, number: int, stage_id: int | None) -> Stage:
    _not_voided(case)
    stages = [
        s
        for s in repo.case_stages(session, case)
        if s.voided_on is None and (s.id == stage_id if stage_id else True)
    ]
    for stage in reversed(stages):
        if stage.procedure == "statutory" and stage.number == number:
            return stage
    raise DomainError(f"{case.reference} has no statutory Stage {number}.")


def record_panel(
    ctx: Context,
    reference: str,
    *,
    on: date,
    members: str | None = None,
    stage_id: int | None = None,
    expected_version: int | None = None,
) -> Done:
    """The review panel met on ``on``: the response is now due 20 working days later."""
    _not_future(ctx, on, "The panel's date")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        stage = _statutory_stage(session, case, 3, stage_id)
        request = stage.request_date or stage.received
        if on < request:
            raise DomainError(
                f"The panel ({fmt(on)}) cannot meet before the request ({fmt(request)})."
            )
        if stage.panel_report_date and on > stage.panel_report_date:
            raise DomainError(
                f"The panel ({fmt(on)}) cannot meet after its report "
                f"({fmt(stage.panel_report_date)})."
            )
        _set(session, ctx, case, stage, "panel_date", on, "panel held")
        if members is not None and members.strip():
            _set(session, ctx, case, stage, "panel_members", members.strip(), "panel held")
        _refresh(ctx, session, case, stage)
        deadline = ctx.deadline(_clock(session, stage))
    warnings = ()
    if deadline.panel_due and on > deadline.panel_due:
        warnings = (
            f"The panel should have met by {fmt(deadline.panel_due)} (30 working days of the "
            "request).",
        )
    return Done(
        case.reference,
        f"{case.reference}: panel held {fmt(on)}; report due {fmt(deadline.report_due)}, "
        f"response due {fmt(stage.due)}.",
        warnings,
    )


def record_panel_report(
    ctx: Context,
    reference: str,
    *,
    on: date,
    stage_id: int | None = None,
    expected_version: int | None = None,
) -> Done:
    """The panel's report was sent on ``on``: the response is due 15 working days later."""
    _not_future(ctx, on, "The panel's report date")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        stage = _statutory_stage(session, case, 3, stage_id)
        if stage.panel_date is None:
            raise DomainError(
                f"{case.reference}: record the panel's date first (panel {case.reference} "
                "--on DATE)."
            )
        if on < stage.panel_date:
            raise DomainError(
                f"The report ({fmt(on)}) cannot come before the panel ({fmt(stage.panel_date)})."
            )
        _set(session, ctx, case, stage, "panel_report_date", on, "panel report")
        _refresh(ctx, session, case, stage)
        deadline = ctx.deadline(_clock(session, stage))
    warnings = ()
    if deadline.report_due and on > deadline.report_due:
        warnings = (
            f"The report was due by {fmt(deadline.report_due)} (5 working days of the panel).",
        )
    return Done(
        case.reference,
        f"{case.reference}: panel's report {fmt(on)}; response due {fmt(stage.due)}.",
        warnings,
    )


def set_people(
    ctx: Context,
    reference: str,
    *,
    iio: str | None = None,
    independent_person: str | None = None,
    panel_members: str | None = None,
    investigator: str | None = None,
    stage_id: int | None = None,
    expected_version: int | None = None,
) -> Done:
    """Name who handles a stage: statutory Stage 2's Investigating Officer (IIO) and
    Independent Person, Stage 3's panel members, any stage's investigating manager.
    A value left as None is not changed; an empty one clears it."""
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        if iio is not None or independent_person is not None:
            stage = _statutory_stage(session, case, 2, stage_id)
        elif panel_members is not None:
            stage = _statutory_stage(session, case, 3, stage_id)
        else:
            live = [s for s in repo.case_stages(session, case) if s.voided_on is None]
            match = [s for s in live if s.id == stage_id] if stage_id else live[-1:]
            if not match:
                raise DomainError(f"{case.reference} has no such stage.")
            stage = match[0]
        changed = []
        for name, value in (
            ("iio", iio),
            ("independent_person", independent_person),
            ("panel_members", panel_members),
            ("investigator", investigator),
        ):
            if value is None:
                continue
            if name == "panel_members" and not (
                stage.procedure == "statutory" and stage.number == 3
            ):
                raise DomainError("Only statutory Stage 3 has a review panel.")
            new = value.strip() or None
            if getattr(stage, name) != new:
                changed.append(name)
            _set(session, ctx, case, stage, name, new, "people")
        if not changed:
            raise DomainError("Nothing to change: give at least one name.")
    label = stage_label(stage.procedure, stage.number)
    return Done(case.reference, f"{case.reference} {label}: {', '.join(changed)} recorded.")


def _clock(session: Session, stage: Stage) -> ClockInput:
    return clock_input(stage, [(s.start, s.end) for s in repo.stage_suspensions(session, stage)])
