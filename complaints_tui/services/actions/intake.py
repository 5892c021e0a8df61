"""Logging new work: a case, a duty contact, and triaging a contact."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.exc import IntegrityError

from complaints_tui.domain.clocks import (
    is_late_matter,
)
from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.vocab import (
    PROCEDURES,
    STAGED_PROCEDURES,
    stage_label,
)
from db import repo
from db.engine import transaction
from db.tables import Case, Stage, key

from ..context import Context
from ._base import (
    Done,
    _begin,
    _check_key,
    _current,
    _log,
    _not_future,
    _refresh,
    _required,
    _set,
    next_reference,
)

PENDING = "pending_information"
"""The duty category of a contact awaiting further information: still to be triaged."""


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
    clock_start: date | None = None,
) -> Done:
    """Log a new case (or, with procedure 'duty', an untriaged contact).

    ``clock_start``, typed by hand, overrides where the policy would start the clock.
    A compliment has no clock: it is closed as it is logged.
    """
    received = received or ctx.today()
    if procedure not in PROCEDURES:
        raise DomainError(f"Unknown procedure {procedure!r}.")
    if procedure in STAGED_PROCEDURES and number not in (1, 2, 3):
        raise DomainError(f"A {procedure} complaint has Stages 1 to 3, not {number}.")
    if procedure not in STAGED_PROCEDURES:
        number = 1
    _not_future(ctx, received, "Received date")
    if clock_start is not None:
        if clock_start < received:
            raise DomainError(
                f"The clock cannot start ({clock_start:%d/%m/%Y}) before the contact was "
                f"received ({received:%d/%m/%Y})."
            )
        _not_future(ctx, clock_start, "Clock start")
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
    given = (reference or "").strip()
    for attempt in range(5):
        try:
            ref = _insert_case(
                ctx,
                given,
                procedure=procedure,
                number=number,
                received=received,
                complainant_type=complainant_type,
                complainant_name=complainant_name,
                child_statuses=child_statuses,
                advocate=advocate,
                channel=channel,
                division=division,
                service=service,
                themes=themes,
                summary=summary,
                officer=officer,
                matter_date=matter_date,
                fixed_due=fixed_due,
                clock_start=clock_start,
            )
            break
        except IntegrityError:
            # The reference was taken meanwhile (an import bringing the same number, or
            # a colleague typing the same one): a chosen one is refused, a numbered one
            # is numbered again.
            if given:
                raise DomainError(f"Reference {given} is already in use.") from None
            if attempt == 4:
                raise
    what = "Contact" if procedure == "duty" else stage_label(procedure, number)
    return Done(ref, f"{what} logged as {ref}.", tuple(warnings))


def _insert_case(
    ctx: Context,
    given: str,
    *,
    procedure: str,
    number: int,
    received: date,
    complainant_type: str | None,
    complainant_name: str | None,
    child_statuses: Sequence[str],
    advocate: str | None,
    channel: str | None,
    division: str | None,
    service: str | None,
    themes: Sequence[str],
    summary: str,
    officer: str | None,
    matter_date: date | None,
    fixed_due: date | None,
    clock_start: date | None,
) -> str:
    """One attempt at logging the case, in one transaction; returns its reference."""
    with transaction(ctx.engine) as session:
        ref = given or next_reference(session, received.year)
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
            clock_start=clock_start or received,
            clock_set_by_hand=clock_start is not None and clock_start != received,
            fixed_due=fixed_due,
            closed_on=received if procedure == "compliment" else None,
        )
        session.add(stage)
        _log(session, ctx, case, "logged", new=stage_label(procedure, number))
        _refresh(ctx, session, case, stage)
    return ref


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
        pending = case.duty_category == PENDING
        if case.procedure != "duty" or (case.duty_category is not None and not pending):
            raise DomainError(f"{case.reference} has already been triaged.")
        if pending and duty_category == PENDING:
            raise DomainError(
                f"{case.reference} has been pending further information since "
                f"{case.pending_since:%d/%m/%Y}."
                if case.pending_since
                else f"{case.reference} is already pending further information."
            )
        stage = _current(session, case)
        if procedure is not None:
            if procedure not in PROCEDURES or procedure == "duty":
                raise DomainError(f"Cannot triage to {procedure!r}.")
            _set(session, ctx, case, case, "procedure", procedure, "triaged")
            _set(session, ctx, case, stage, "procedure", procedure, "triaged")
            _set(session, ctx, case, case, "duty_category", None, "triaged")
            _set(session, ctx, case, case, "pending_since", None, "triaged")
            stage.number = 1
            if procedure == "compliment":  # a compliment never sits open
                _set(session, ctx, case, stage, "closed_on", ctx.today(), "triaged")
            message = f"{case.reference} triaged: {PROCEDURES[procedure]}."
        else:
            _check_key(ctx, "duty_category", duty_category, "duty category")
            _set(session, ctx, case, case, "duty_category", duty_category, "triaged")
            if duty_category == PENDING:
                # It stays in the duty queue, marked, until it is triaged for real.
                _set(session, ctx, case, case, "pending_since", ctx.today(), "triaged")
            else:
                _set(session, ctx, case, case, "pending_since", None, "triaged")
                _set(session, ctx, case, stage, "closed_on", ctx.today(), "triaged")
            label = ctx.policy.vocabularies.label("duty_category", duty_category)
            message = f"{case.reference} triaged: duty - {label}."
        _refresh(ctx, session, case, stage)
    return Done(case.reference, message)
