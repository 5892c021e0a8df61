"""What an officer does to a case. Each function is one transaction: it either does all
of its work or, raising a DomainError with a message for the officer, changes nothing.

Functions take ``expected_version`` (the case version the officer's screen shows); when
given, a save over someone else's change is refused with a ConflictError.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from complaints_tui.domain.clocks import (
    OPEN_STATUSES,
    escalation_window_closes,
    fmt,
    is_late_matter,
)
from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.vocab import (
    ESCALATION_DECISIONS,
    LEARNING_STATUSES,
    LGSCO_OUTCOMES,
    PROCEDURES,
    STAGED_PROCEDURES,
    stage_label,
)
from db import repo
from db.engine import transaction
from db.tables import Case, CaseLink, Event, LearningAction, Remedy, Stage, Suspension, key

from .context import Context
from .store import stage_state


@dataclass(frozen=True)
class Done:
    """What an action did, in words for a notification."""

    reference: str
    message: str
    warnings: tuple[str, ...] = ()


# -- helpers -----------------------------------------------------------------------------


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
    for name, value in stage_state(ctx, stage, spans).items():
        setattr(stage, name, value)
    stages = repo.case_stages(session, case)
    still_open = any(s.status in OPEN_STATUSES for s in stages)
    if still_open and case.status != "open":
        case.status, case.closed_on = "open", None
    elif not still_open and case.status == "open":
        ended = [d for s in stages for d in (s.responded, s.closed_on) if d]
        case.status, case.closed_on = "closed", max(ended) if ended else ctx.today()


def _not_future(ctx: Context, day: date, what: str) -> None:
    if day > ctx.today():
        raise DomainError(f"{what} {fmt(day)} is in the future.")


def _current(session: Session, case: Case, stage_id: int | None = None) -> Stage:
    """The stage an action applies to: the one asked for, else the latest open one."""
    stages = repo.case_stages(session, case)
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


# -- logging new work ------------------------------------------------------------------


def log_case(
    ctx: Context,
    *,
    procedure: str,
    received: date | None = None,
    number: int = 1,
    reference: str | None = None,
    complainant_type: str | None = None,
    complainant_name: str | None = None,
    child_statuses: Sequence[str] = (),
    advocate: str | None = None,
    channel: str | None = None,
    division: str | None = None,
    service: str | None = None,
    themes: Sequence[str] = (),
    summary: str = "",
    officer: str | None = None,
    matter_date: date | None = None,
    fixed_due: date | None = None,
) -> Done:
    """Log a new case (or, with procedure 'duty', an untriaged contact)."""
    received = received or ctx.today()
    if procedure not in PROCEDURES:
        raise DomainError(f"Unknown procedure {procedure!r}.")
    if procedure in STAGED_PROCEDURES and number not in (1, 2, 3):
        raise DomainError(f"A {procedure} complaint has Stages 1 to 3, not {number}.")
    if procedure not in STAGED_PROCEDURES:
        number = 1
    _not_future(ctx, received, "Received date")
    _check_key(ctx, "complainant", complainant_type, "complainant type")
    _check_key(ctx, "channel", channel, "channel")
    for status in child_statuses:
        _check_key(ctx, "child_status", status, "child's status")
    warnings = []
    if is_late_matter(received, matter_date, ctx.policy):
        warnings.append(
            f"The matters complained about are more than {ctx.policy.late_matter_months} "
            "months old: the council may decline or accept with reasons."
        )
    with transaction(ctx.engine) as session:
        ref = (reference or "").strip() or next_reference(session, received.year)
        if ref in repo.existing_references(session):
            raise DomainError(f"Reference {ref} is already in use.")
        # ORM inserts here (not the bulk path) so the database assigns the ids even when
        # two officers log at the same moment.
        case = Case(
            reference=ref,
            procedure=procedure,
            complainant_type=complainant_type,
            complainant_name=complainant_name,
            child_statuses=";".join(child_statuses),
            advocate_involved=bool(advocate),
            advocate=advocate or None,
            channel=channel,
            division=division,
            service=service,
            summary=summary,
            officer=officer,
            matter_date=matter_date,
        )
        session.add(case)
        session.flush()
        assert case.id is not None
        repo.replace_themes(session, case, themes)
        stage = Stage(
            case_id=key(case),
            procedure=procedure,
            number=number,
            received=received,
            clock_start=received,
            fixed_due=fixed_due,
        )
        session.add(stage)
        _log(session, ctx, case, "logged", new=stage_label(procedure, number))
        _refresh(ctx, session, case, stage)
    what = "Contact" if procedure == "duty" else stage_label(procedure, number)
    return Done(ref, f"{what} logged as {ref}.", tuple(warnings))


def log_contact(
    ctx: Context,
    *,
    who: str,
    channel: str | None,
    service: str | None,
    summary: str,
    received: date | None = None,
    complainant_type: str | None = None,
) -> Done:
    """A duty contact waiting to be triaged."""
    who = _required(who, "Who made the contact is required.")
    summary = _required(summary, "A summary of the contact is required.")
    return log_case(
        ctx,
        procedure="duty",
        received=received,
        complainant_name=who,
        channel=channel,
        service=service,
        summary=summary,
        complainant_type=complainant_type,
    )


def triage(
    ctx: Context,
    reference: str,
    *,
    procedure: str | None = None,
    duty_category: str | None = None,
    expected_version: int | None = None,
) -> Done:
    """Turn an untriaged duty contact into a case of a procedure, or a duty matter."""
    if (procedure is None) == (duty_category is None):
        raise DomainError("Triage needs either a procedure or a duty category.")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        if case.procedure != "duty" or case.duty_category is not None:
            raise DomainError(f"{case.reference} has already been triaged.")
        stage = _current(session, case)
        if procedure is not None:
            if procedure not in PROCEDURES or procedure == "duty":
                raise DomainError(f"Cannot triage to {procedure!r}.")
            _set(session, ctx, case, case, "procedure", procedure, "triaged")
            _set(session, ctx, case, stage, "procedure", procedure, "triaged")
            stage.number = 1
            message = f"{case.reference} triaged: {PROCEDURES[procedure]}."
        else:
            _check_key(ctx, "duty_category", duty_category, "duty category")
            _set(session, ctx, case, case, "duty_category", duty_category, "triaged")
            if duty_category != "pending_information":
                _set(session, ctx, case, stage, "closed_on", ctx.today(), "triaged")
            label = ctx.policy.vocabularies.label("duty_category", duty_category)
            message = f"{case.reference} triaged: duty - {label}."
        _refresh(ctx, session, case, stage)
    return Done(case.reference, message)


# -- the clock -----------------------------------------------------------------------------


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


# -- outcomes ----------------------------------------------------------------------------


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
        if (stage.procedure == "lgsco") != (outcome in LGSCO_OUTCOMES):
            raise DomainError(
                "Use the Ombudsman's decisions for an Ombudsman stage, and only there."
                if stage.procedure == "lgsco"
                else f"{outcome!r} is an Ombudsman decision."
            )
        for s in repo.stage_suspensions(session, stage):
            if s.end is None:
                s.end = max(s.start, on - timedelta(days=1))
        _set(session, ctx, case, stage, "responded", on, "responded")
        _set(session, ctx, case, stage, "outcome", outcome, "responded")
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
            if procedure == "statutory" and number == 2:
                raise DomainError(
                    "Statutory Stage 2 is the complainant's right: it cannot be refused "
                    "(the request may be withdrawn)."
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
    if decision == "refused":
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
        previous = [s.number for s in repo.case_stages(session, case) if s.procedure == "lgsco"]
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


# -- the case -------------------------------------------------------------------------------


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
        stages = repo.case_stages(session, case)
        stage = stages[-1]
        for name in ("responded", "outcome", "closed_on", "decision"):
            if name != "decision" or stage.decision == "withdrawn":
                _set(session, ctx, case, stage, name, None, "re-opened")
        _set(session, ctx, case, stage, "clock_start", on, "re-opened")
        _set(session, ctx, case, case, "reopened_count", case.reopened_count + 1, "re-opened")
        _log(session, ctx, case, "re-opened", note=reason)
        _refresh(ctx, session, case, stage)
    return Done(case.reference, f"{case.reference} re-opened, due {fmt(stage.due)}.")


def add_note(
    ctx: Context, reference: str, text: str, *, expected_version: int | None = None
) -> Done:
    text = _required(text, "A note cannot be empty.")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        _log(session, ctx, case, "note", note=text)
    return Done(case.reference, f"Note added to {case.reference}.")


def assign(
    ctx: Context, reference: str, officer: str, *, expected_version: int | None = None
) -> Done:
    officer = officer.strip()
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        _set(session, ctx, case, case, "officer", officer or None, "assigned")
    return Done(case.reference, f"{case.reference} assigned to {officer or 'nobody'}.")


def link(ctx: Context, reference: str, other: str, *, expected_version: int | None = None) -> Done:
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        target = repo.get_case(session, other)
        if target.id == case.id:
            raise DomainError("A case cannot be linked to itself.")
        if target.reference in repo.linked_references(session, case):
            raise DomainError(f"{case.reference} is already linked to {target.reference}.")
        session.add(CaseLink(case_id=key(case), linked_case_id=key(target)))
        session.add(CaseLink(case_id=key(target), linked_case_id=key(case)))
        _log(session, ctx, case, "linked", new=target.reference)
        _log(session, ctx, target, "linked", new=case.reference)
    return Done(case.reference, f"{case.reference} linked to {target.reference}.")


EDITABLE_FIELDS = {
    "complainant_type": "complainant",
    "complainant_name": None,
    "channel": "channel",
    "division": None,
    "service": None,
    "summary": None,
    "advocate": None,
    "matter_date": None,
    "repeat_complainant": None,
}
"""Case fields the detail screen may edit, with the vocabulary each must come from."""


def update_case(
    ctx: Context,
    reference: str,
    changes: dict[str, Any],
    *,
    themes: Sequence[str] | None = None,
    child_statuses: Sequence[str] | None = None,
    expected_version: int | None = None,
) -> Done:
    """Save edits to a case's details: all valid, or nothing saved."""
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            raise DomainError(f"{name} cannot be edited here.")
        vocabulary = EDITABLE_FIELDS[name]
        if vocabulary:
            _check_key(ctx, vocabulary, value, name.replace("_", " "))
    for status in child_statuses or ():
        _check_key(ctx, "child_status", status, "child's status")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        for name, value in changes.items():
            if isinstance(value, str):
                value = value.strip() or (None if name != "summary" else "")
            _set(session, ctx, case, case, name, value, "edited")
        if "advocate" in changes:
            case.advocate_involved = bool(case.advocate)
        if child_statuses is not None:
            _set(session, ctx, case, case, "child_statuses", ";".join(child_statuses), "edited")
        if themes is not None:
            old = ";".join(repo.case_themes(session, case))
            repo.replace_themes(session, case, themes)
            new = ";".join(t.strip() for t in themes if t.strip())
            if old != new:
                _log(session, ctx, case, "edited", field="themes", old=old, new=new)
    return Done(case.reference, f"{case.reference} saved.")


def add_learning_action(
    ctx: Context,
    reference: str,
    *,
    text: str,
    owner: str | None = None,
    due: date | None = None,
    stage_id: int | None = None,
    expected_version: int | None = None,
) -> Done:
    text = _required(text, "A learning action needs a description.")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        stages = repo.case_stages(session, case)
        stage = next((s for s in stages if s.id == stage_id), None) if stage_id else stages[-1]
        if stage is None:
            raise DomainError(f"{case.reference} has no such stage.")
        session.add(LearningAction(stage_id=key(stage), text=text, owner=owner, due=due))
        _log(session, ctx, case, "learning action", stage=stage, new=text)
    return Done(case.reference, f"Learning action added to {case.reference}.")


def set_learning_status(
    ctx: Context, reference: str, action_id: int, status: str, *, on: date | None = None
) -> Done:
    if status not in LEARNING_STATUSES:
        raise DomainError(f"Unknown learning action status {status!r}.")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, None)
        action = session.get(LearningAction, action_id)
        stage_ids = {s.id for s in repo.case_stages(session, case)}
        if action is None or action.stage_id not in stage_ids:
            raise DomainError(f"{case.reference} has no such learning action.")
        old = action.status
        action.status = status
        action.completed_on = (on or ctx.today()) if status == "done" else None
        _log(
            session,
            ctx,
            case,
            "learning action",
            field="status",
            old=old,
            new=status,
            note=action.text,
        )
    return Done(case.reference, f"Learning action {LEARNING_STATUSES[status].lower()}.")


__all__ = [
    "ESCALATION_DECISIONS",
    "Done",
    "acknowledge",
    "add_learning_action",
    "add_note",
    "assign",
    "close",
    "escalate",
    "extend",
    "link",
    "log_case",
    "log_contact",
    "next_reference",
    "refer_to_ombudsman",
    "reopen",
    "respond",
    "resume",
    "set_learning_status",
    "suspend",
    "triage",
    "update_case",
    "withdraw",
]
