"""The Ombudsman's enquiry after it is logged: the council's reply, the Ombudsman's
decision (often months later, counted in the report by its own date) and a later
deadline the Ombudsman agreed. Its deadline is the Ombudsman's: never extended here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session

from complaints_tui.domain.clocks import OPEN_STATUSES, fmt
from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.vocab import LGSCO_OUTCOMES
from db import repo
from db.engine import transaction
from db.tables import Case, Remedy, Stage, key

from ..context import Context
from ._base import Done, _begin, _check_key, _log, _not_future, _not_voided, _refresh, _set
from .clock import end_open_stops


def _enquiry(session: Session, case: Case, stage_id: int | None) -> Stage:
    _not_voided(case)
    enquiries = [
        s
        for s in repo.case_stages(session, case)
        if s.procedure == "lgsco" and s.voided_on is None and (not stage_id or s.id == stage_id)
    ]
    if not enquiries:
        raise DomainError(
            f"{case.reference} has no Ombudsman enquiry (log one: refer {case.reference})."
        )
    return enquiries[-1]


def reply_to_ombudsman(
    ctx: Context,
    reference: str,
    *,
    on: date | None = None,
    stage_id: int | None = None,
    expected_version: int | None = None,
) -> Done:
    """The council sent its reply to the Ombudsman's enquiry (the team's deadline)."""
    on = on or ctx.today()
    _not_future(ctx, on, "The reply's date")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        stage = _enquiry(session, case, stage_id)
        if stage.responded is not None:
            raise DomainError(
                f"{case.reference}: the reply to the Ombudsman was recorded {fmt(stage.responded)} "
                "(correct it with correct --field responded)."
            )
        if on < stage.received:
            raise DomainError(
                f"The reply ({fmt(on)}) is before the enquiry was received ({fmt(stage.received)})."
            )
        end_open_stops(session, ctx, case, stage, on)
        _set(session, ctx, case, stage, "responded", on, "replied to the Ombudsman")
        _refresh(ctx, session, case, stage)
        late = stage.due is not None and on > stage.due
    return Done(
        case.reference,
        f"{case.reference}: reply to the Ombudsman {fmt(on)}"
        + (f" (late: due {fmt(stage.due)})." if late else "."),
    )


def record_ombudsman_decision(
    ctx: Context,
    reference: str,
    *,
    decision: str,
    on: date | None = None,
    remedies: Iterable[tuple[str, float | None]] = (),
    stage_id: int | None = None,
    expected_version: int | None = None,
) -> Done:
    """The Ombudsman's decision and its date; remedies it asked for (kind, pounds)."""
    on = on or ctx.today()
    _not_future(ctx, on, "The decision's date")
    if decision not in LGSCO_OUTCOMES:
        raise DomainError(
            f"{decision!r} is not an Ombudsman's decision (known: "
            f"{', '.join(sorted(LGSCO_OUTCOMES))})."
        )
    remedies = list(remedies)
    for kind, _ in remedies:
        _check_key(ctx, "remedy", kind, "remedy")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        stage = _enquiry(session, case, stage_id)
        if stage.ombudsman_decided is not None:
            raise DomainError(
                f"{case.reference}: the Ombudsman's decision was recorded "
                f"{fmt(stage.ombudsman_decided)} (correct it with correct --field outcome)."
            )
        if on < stage.received:
            raise DomainError(
                f"The decision ({fmt(on)}) is before the enquiry was received "
                f"({fmt(stage.received)})."
            )
        _set(session, ctx, case, stage, "outcome", decision, "Ombudsman's decision")
        _set(session, ctx, case, stage, "ombudsman_decided", on, "Ombudsman's decision")
        if stage.status in OPEN_STATUSES:  # decided without waiting for a reply
            end_open_stops(session, ctx, case, stage, on)
            _set(session, ctx, case, stage, "closed_on", on, "Ombudsman's decision")
        for kind, pounds in remedies:
            pence = None if pounds is None else round(pounds * 100)
            session.add(Remedy(stage_id=key(stage), kind=kind, amount_pence=pence))
            _log(session, ctx, case, "remedy", stage=stage, new=kind)
        _refresh(ctx, session, case, stage)
    label = ctx.policy.vocabularies.label("outcome", decision)
    return Done(case.reference, f"{case.reference}: the Ombudsman decided {fmt(on)}: {label}.")


def set_ombudsman_deadline(
    ctx: Context,
    reference: str,
    *,
    on: date,
    stage_id: int | None = None,
    expected_version: int | None = None,
) -> Done:
    """A later deadline the Ombudsman agreed for the council's reply."""
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        stage = _enquiry(session, case, stage_id)
        if stage.status not in OPEN_STATUSES:
            raise DomainError(f"{case.reference}'s Ombudsman enquiry is {stage.status}.")
        current = stage.due
        if current is not None and on <= current:
            raise DomainError(
                f"The Ombudsman's deadline is {fmt(current)}: a deadline it agreed later must "
                "come after it."
            )
        if on < stage.received:
            raise DomainError(
                f"The deadline ({fmt(on)}) is before the enquiry was received "
                f"({fmt(stage.received)})."
            )
        _set(session, ctx, case, stage, "fixed_due", on, "Ombudsman's deadline")
        _refresh(ctx, session, case, stage)
    return Done(case.reference, f"{case.reference}: the Ombudsman's deadline is now {fmt(on)}.")
