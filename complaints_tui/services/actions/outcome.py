"""How a stage ends: the response, escalation, withdrawal, the Ombudsman, closing and re-opening."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from complaints_tui.domain.clocks import (
    OPEN_STATUSES,
    escalation_window_closes,
    fmt,
)
from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.vocab import (
    LGSCO_OUTCOMES,
    PROCEDURES,
    STAGED_PROCEDURES,
    stage_label,
)
from db import repo
from db.engine import transaction
from db.tables import LearningAction, Remedy, Stage, key

from ..context import Context
from ._base import (
    Done,
    _begin,
    _check_key,
    _log,
    _not_future,
    _refresh,
    _required,
    _set,
    _stage_for,
    actual_clock_start,
)
from .clock import end_open_stops


def respond(
    ctx: Context,
    reference: str,
    *,
    outcome: str,
    on: date | None = None,
    remedies: Iterable[tuple[str, float | None]] = (),
    learning: Iterable[tuple[str, str | None, date | None]] = (),
    stage_id: int | None = None,
    expected_version: int | None = None,
) -> Done:
    """Record the response to a stage, its outcome, remedies (kind, pounds) and learning."""
    on = on or ctx.today()
    _not_future(ctx, on, "Response date")
    _check_key(ctx, "outcome", outcome, "outcome")
    remedies = list(remedies)
    for kind, _ in remedies:
        _check_key(ctx, "remedy", kind, "remedy")
    with transaction(ctx.engine) as session:
        case, stage = _stage_for(session, reference, expected_version, stage_id, running=True)
        if on < stage.received:
            raise DomainError(
                f"Response {fmt(on)} is before the stage was received ({fmt(stage.received)})."
            )
        started = actual_clock_start(ctx, stage)
        if on < started:
            raise DomainError(f"Response {fmt(on)} is before the clock started ({fmt(started)}).")
        if (stage.procedure == "lgsco") != (outcome in LGSCO_OUTCOMES):
            raise DomainError(
                "Use the Ombudsman's decisions for an Ombudsman stage, and only there."
                if stage.procedure == "lgsco"
                else f"{outcome!r} is an Ombudsman decision."
            )
        end_open_stops(session, ctx, case, stage, on)
        _set(session, ctx, case, stage, "responded", on, "responded")
        _set(session, ctx, case, stage, "outcome", outcome, "responded")
        if stage.procedure == "lgsco":  # the reply and the decision given together
            _set(session, ctx, case, stage, "ombudsman_decided", on, "responded")
        for kind, pounds in remedies:
            pence = None if pounds is None else round(pounds * 100)
            session.add(Remedy(stage_id=key(stage), kind=kind, amount_pence=pence))
            _log(
                session,
                ctx,
                case,
                "remedy",
                stage=stage,
                new=kind if pounds is None else f"{kind} £{pounds:,.2f}",
            )
        for text, owner, due in learning:
            session.add(LearningAction(stage_id=key(stage), text=text, owner=owner, due=due))
            _log(session, ctx, case, "learning action", stage=stage, new=text)
        _refresh(ctx, session, case, stage)
        late = stage.due is not None and on > stage.due
    label = ctx.policy.vocabularies.label("outcome", outcome)
    return Done(
        case.reference,
        f"{case.reference} responded {fmt(on)}: {label}" + (" (late)." if late else "."),
    )


def escalate(
    ctx: Context,
    reference: str,
    *,
    request_date: date | None = None,
    decision: str = "accepted",
    reason: str | None = None,
    clock_start: date | None = None,
    expected_version: int | None = None,
) -> Done:
    """The complainant asks for the next stage: accept (the clock starts) or refuse."""
    request_date = request_date or ctx.today()
    _not_future(ctx, request_date, "Request date")
    if clock_start is not None:
        if clock_start < request_date:
            raise DomainError(
                f"The clock cannot start ({fmt(clock_start)}) before the request "
                f"({fmt(request_date)})."
            )
        _not_future(ctx, clock_start, "Clock start")
    if decision not in ("accepted", "refused"):
        raise DomainError("An escalation request is accepted or refused (withdraw it later).")
    reason = (reason or "").strip() or None
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        staged = [s for s in repo.case_stages(session, case) if s.procedure in STAGED_PROCEDURES]
        if not staged:
            raise DomainError(f"A {PROCEDURES[case.procedure]} has no further stages.")
        previous = max(staged, key=lambda s: s.number)
        procedure, number = previous.procedure, previous.number + 1
        if previous.decision in ("refused", "withdrawn"):
            raise DomainError(
                f"{stage_label(procedure, previous.number)} was {previous.decision}: "
                "there is no further stage."
            )
        if number > 3:
            raise DomainError("Stage 3 is the last stage; the next step is the Ombudsman.")
        if previous.responded is None:
            raise DomainError(
                f"{stage_label(procedure, previous.number)} has no response yet: record it "
                "before escalating."
            )
        if request_date < previous.responded:
            raise DomainError(
                f"The request ({fmt(request_date)}) is before the response "
                f"({fmt(previous.responded)})."
            )
        window = escalation_window_closes(previous.responded, ctx.policy, ctx.cal)
        out_of_time = request_date > window
        if decision == "refused":
            if procedure == "statutory" and not out_of_time:
                raise DomainError(
                    f"Statutory Stage {number} is the complainant's right inside the "
                    f"{ctx.policy.escalation_window}-working-day window (it closes "
                    f"{fmt(window)}): it cannot be refused (the request may be withdrawn)."
                )
            if not reason:
                raise DomainError("A refusal needs a reason (it is sent to the complainant).")
        elif out_of_time and not reason:
            raise DomainError(
                f"The request is out of time (the window closed {fmt(window)}): give a reason "
                "to accept it."
            )
        stage = Stage(
            case_id=key(case),
            procedure=procedure,
            number=number,
            received=request_date,
            clock_start=clock_start or request_date,
            clock_set_by_hand=clock_start is not None and clock_start != request_date,
            request_date=request_date,
            decision=decision,
            decision_reason=reason,
            out_of_time=out_of_time,
        )
        if decision == "refused":
            stage.closed_on = request_date
            stage.outcome = "signposted_lgsco"
        session.add(stage)
        session.flush()
        _log(
            session,
            ctx,
            case,
            "escalation " + decision,
            stage=stage,
            new=stage_label(procedure, number),
            note=reason,
        )
        _refresh(ctx, session, case, stage)
    label = stage_label(procedure, number)
    if decision == "refused" and procedure == "statutory":
        message = f"{case.reference}: {label} declined (request out of time): {reason}."
    elif decision == "refused":
        message = f"{case.reference}: {label} refused; signpost the complainant to the Ombudsman."
    else:
        message = f"{case.reference}: {label} accepted, due {fmt(stage.due)}."
    warnings = (f"Request out of time: the window closed {fmt(window)}.",) if out_of_time else ()
    return Done(case.reference, message, warnings)


def withdraw(
    ctx: Context,
    reference: str,
    *,
    reason: str,
    on: date | None = None,
    stage_id: int | None = None,
    expected_version: int | None = None,
) -> Done:
    """The complainant withdraws the current stage."""
    on = on or ctx.today()
    _not_future(ctx, on, "Withdrawal date")
    with transaction(ctx.engine) as session:
        case, stage = _stage_for(session, reference, expected_version, stage_id, running=True)
        _set(session, ctx, case, stage, "decision", "withdrawn", "withdrawn")
        _set(session, ctx, case, stage, "decision_reason", reason.strip() or None, "withdrawn")
        _set(session, ctx, case, stage, "outcome", "withdrawn", "withdrawn")
        _set(session, ctx, case, stage, "closed_on", on, "withdrawn")
        _refresh(ctx, session, case, stage)
    return Done(
        case.reference, f"{case.reference} {stage_label(stage.procedure, stage.number)} withdrawn."
    )


def refer_to_ombudsman(
    ctx: Context,
    reference: str,
    *,
    received: date | None = None,
    ombudsman_reference: str | None = None,
    deadline: date | None = None,
    expected_version: int | None = None,
) -> Done:
    """The Ombudsman has opened an enquiry on this case: its clock is the Ombudsman's."""
    received = received or ctx.today()
    _not_future(ctx, received, "Ombudsman enquiry date")
    if deadline is not None and deadline < received:
        raise DomainError("The Ombudsman's deadline is before the enquiry was received.")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        enquiries = [s for s in repo.case_stages(session, case) if s.procedure == "lgsco"]
        lgsco_ref = (ombudsman_reference or "").strip()
        for other in enquiries:
            if lgsco_ref and (other.ombudsman_reference or "").strip() == lgsco_ref:
                raise DomainError(
                    f"{case.reference} already has the Ombudsman's enquiry {lgsco_ref} "
                    f"(received {fmt(other.received)})."
                )
        previous = [s.number for s in enquiries]
        stage = Stage(
            case_id=key(case),
            procedure="lgsco",
            number=max(previous, default=0) + 1,
            received=received,
            clock_start=received,
            fixed_due=deadline,
            ombudsman_reference=(ombudsman_reference or "").strip() or None,
        )
        session.add(stage)
        session.flush()
        _log(session, ctx, case, "referred to Ombudsman", stage=stage, new=ombudsman_reference)
        _refresh(ctx, session, case, stage)
    return Done(
        case.reference, f"{case.reference}: Ombudsman enquiry logged, due {fmt(stage.due)}."
    )


def close(
    ctx: Context,
    reference: str,
    *,
    reason: str,
    on: date | None = None,
    expected_version: int | None = None,
) -> Done:
    """Close the case, and any stage still open, without a response."""
    on = on or ctx.today()
    _not_future(ctx, on, "Closing date")
    reason = _required(reason, "Closing a case needs a reason.")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        if case.status == "closed":
            raise DomainError(f"{case.reference} is already closed.")
        for stage in repo.case_stages(session, case):
            if stage.status in OPEN_STATUSES:
                end_open_stops(session, ctx, case, stage, on)
                _set(session, ctx, case, stage, "closed_on", on, "closed")
                _refresh(ctx, session, case, stage)
        _set(session, ctx, case, case, "status", "closed", "closed")
        _set(session, ctx, case, case, "closed_on", on, "closed")
        _log(session, ctx, case, "closed", note=reason)
    return Done(case.reference, f"{case.reference} closed.")


def reopen(
    ctx: Context,
    reference: str,
    *,
    reason: str,
    on: date | None = None,
    expected_version: int | None = None,
) -> Done:
    """Re-open a closed case: its latest stage runs again on a fresh clock from ``on``.

    The earlier response and outcome stay in the timeline, with who re-opened it and why.
    """
    on = on or ctx.today()
    _not_future(ctx, on, "Re-opening date")
    reason = _required(reason, "Re-opening a case needs a reason.")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        if case.status != "closed":
            raise DomainError(f"{case.reference} is not closed.")
        stages = [s for s in repo.case_stages(session, case) if s.voided_on is None]
        if not stages:
            raise DomainError(f"{case.reference} has no stage to re-open.")
        stage = stages[-1]
        label = stage_label(stage.procedure, stage.number)
        if stage.decision == "refused":
            raise DomainError(
                f"{case.reference}: its last stage, {label}, is a refused request, not a "
                "stage that ran: there is nothing to re-open (correct the decision, or log "
                "the Ombudsman's enquiry)."
            )
        if on < (stage.responded or stage.closed_on or on):
            raise DomainError(f"Re-opening date {fmt(on)} is before the stage ended.")
        end_open_stops(session, ctx, case, stage, on)
        for name in ("responded", "outcome", "closed_on", "decision"):
            if name != "decision" or stage.decision == "withdrawn":
                _set(session, ctx, case, stage, name, None, "re-opened")
        # A fresh clock at the standard timescale: the old extension does not carry over.
        for name in ("extended_to", "extension_agreed", "extension_reason", "extension_recorded"):
            _set(session, ctx, case, stage, name, None, "re-opened")
        _set(session, ctx, case, stage, "clock_start", on, "re-opened")
        stage.clock_set_by_hand = True
        _set(session, ctx, case, case, "reopened_count", case.reopened_count + 1, "re-opened")
        _log(session, ctx, case, "re-opened", note=reason)
        _refresh(ctx, session, case, stage)
    return Done(case.reference, f"{case.reference} re-opened, due {fmt(stage.due)}.")
