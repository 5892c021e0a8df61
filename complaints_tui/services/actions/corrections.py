"""Putting mistakes right: a correction says what was wrong, what it is now and why, on the
timeline; clocks follow; it is never a re-opening (the report counts those). A case or
stage logged by mistake is voided (``void.py``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlmodel import Session

from complaints_tui.domain.clocks import OPEN_STATUSES, escalation_window_closes, fmt
from complaints_tui.domain.dates import parse_date
from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.vocab import LGSCO_OUTCOMES, PROCEDURES, STAGED_PROCEDURES, stage_label
from db import repo
from db.engine import transaction
from db.tables import Case, Remedy, Stage, key

from ..context import Context
from ._base import (
    Done,
    _begin,
    _check_key,
    _log,
    _not_future,
    _not_voided,
    _refresh,
    _required,
    actual_clock_start,
)

CORRECTABLE = {
    "procedure": "the case's procedure (re-triage), e.g. corporate",
    "received": "a stage's received date",
    "outcome": "a stage's outcome (or the Ombudsman's decision)",
    "remedies": "a stage's remedies, e.g. 'apology; payment:250' (empty: none)",
    "responded": "a stage's response date",
}
"""What ``correct`` can change, and what to give it."""


def find_stage(session: Session, case: Case, spec: str | int | None) -> Stage:
    """A stage by id, by number of the case's procedure ('2'), 'lgsco' / 'lgsco2' for an
    Ombudsman enquiry, or (None) the case's latest stage."""
    stages = [s for s in repo.case_stages(session, case) if s.voided_on is None]
    if isinstance(spec, int):
        match = [s for s in repo.case_stages(session, case) if s.id == spec]
    elif spec is None or not str(spec).strip():
        match = stages[-1:]
    else:
        text = str(spec).strip().lower().replace(" ", "")
        if text.startswith("lgsco"):
            number = int(text[5:] or 0) if text[5:].isdigit() or not text[5:] else -1
            match = [s for s in stages if s.procedure == "lgsco"]
            match = [s for s in match if s.number == number] if number else match[-1:]
        elif text.isdigit():
            match = [s for s in stages if s.procedure != "lgsco" and s.number == int(text)]
        else:
            match = []
    if not match:
        raise DomainError(f"{case.reference} has no stage {spec}.")
    return match[-1]


def _remedies(text: str) -> list[tuple[str, int | None]]:
    out: list[tuple[str, int | None]] = []
    for part in text.replace(",", ";").split(";"):
        kind, _, amount = part.strip().partition(":")
        if not kind.strip():
            continue
        pence = None
        if amount.strip():
            try:
                pence = round(float(amount.strip().lstrip("£")) * 100)
            except ValueError:
                raise DomainError(f"'{amount.strip()}' is not an amount in pounds.") from None
        out.append((kind.strip(), pence))
    return out


def _remedy_text(rows: list[tuple[str, int | None]]) -> str:
    return "; ".join(k if p is None else f"{k}:{p / 100:.2f}" for k, p in rows)


def _date(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise DomainError(str(exc)) from None


def correct(
    ctx: Context,
    reference: str,
    *,
    field: str,
    to: str,
    reason: str,
    stage: str | int | None = None,
    expected_version: int | None = None,
) -> Done:
    """Correct one field, with a reason; old and new values go on the timeline."""
    reason = _required(reason, "A correction needs a reason.")
    if field not in CORRECTABLE:
        raise DomainError(f"'{field}' cannot be corrected (correctable: {', '.join(CORRECTABLE)}).")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        _not_voided(case)
        fix: Callable[..., str] = _FIXES[field]
        message = fix(ctx, session, case, to, reason, stage)
    return Done(case.reference, f"{case.reference} corrected: {message}.")


def _note(
    session: Session,
    ctx: Context,
    case: Case,
    stage: Stage | None,
    field: str,
    old: Any,
    new: Any,
    reason: str,
) -> None:
    _log(session, ctx, case, "corrected", stage=stage, field=field, old=old, new=new, note=reason)


def _fix_procedure(
    ctx: Context, session: Session, case: Case, to: str, reason: str, _spec: Any
) -> str:
    new = to.strip().lower()
    if new not in PROCEDURES or new == "duty":
        known = ", ".join(k for k in PROCEDURES if k not in ("duty", "lgsco"))
        raise DomainError(f"Unknown procedure {to!r} (known: {known}).")
    if new == "lgsco":
        raise DomainError("An Ombudsman enquiry is logged on a case with refer, not by re-triage.")
    old = case.procedure
    if old == new:
        raise DomainError(f"{case.reference} is already a {PROCEDURES[new]}.")
    if old == "duty" and case.duty_category is None:
        raise DomainError(f"{case.reference} has not been triaged yet: triage it.")
    stages = [
        s for s in repo.case_stages(session, case) if s.procedure == old and s.voided_on is None
    ]
    if new not in STAGED_PROCEDURES and len(stages) > 1:
        raise DomainError(
            f"{case.reference} has {len(stages)} stages: a {PROCEDURES[new]} has only one."
        )
    if old == "duty":
        _note(session, ctx, case, None, "duty_category", case.duty_category, None, reason)
        case.duty_category, case.pending_since = None, None
    case.procedure = new
    _note(session, ctx, case, None, "procedure", old, new, reason)
    for stage in stages:
        stage.procedure = new
        if new == "compliment" and stage.status in OPEN_STATUSES:
            stage.closed_on = stage.received  # a compliment never sits open
        elif old in ("compliment", "duty") and stage.responded is None:
            stage.closed_on = None  # it now runs on its new procedure's clock
        session.flush()
        _refresh(ctx, session, case, stage)
    return f"procedure {PROCEDURES.get(old, old)} -> {PROCEDURES[new]}"


def _fix_received(
    ctx: Context, session: Session, case: Case, to: str, reason: str, spec: Any
) -> str:
    stage = find_stage(session, case, spec)
    new = _date(to)
    _not_future(ctx, new, "Received date")
    ended = stage.responded or stage.closed_on
    if ended and new > ended:
        raise DomainError(f"Received {fmt(new)} would be after the stage ended ({fmt(ended)}).")
    if stage.acknowledged and new > stage.acknowledged:
        raise DomainError(
            f"Received {fmt(new)} would be after the acknowledgement ({fmt(stage.acknowledged)})."
        )
    old = stage.received
    if old == new:
        raise DomainError(f"The stage was already received {fmt(new)}.")
    previous = [
        s
        for s in repo.case_stages(session, case)
        if s.procedure == stage.procedure and s.number == stage.number - 1 and s.responded
    ]
    if stage.request_date is not None and previous:
        responded = previous[0].responded
        assert responded is not None
        if new < responded:
            raise DomainError(
                f"The request {fmt(new)} would be before the response it follows "
                f"({fmt(responded)})."
            )
        window = escalation_window_closes(responded, ctx.policy, ctx.cal)
        stage.out_of_time = new > window
    stage.received = new
    if stage.request_date is not None:
        stage.request_date = new
    if not stage.clock_set_by_hand or stage.clock_start < new:
        stage.clock_start, stage.clock_set_by_hand = new, False
    _note(session, ctx, case, stage, "received", old, new, reason)
    old_due = stage.due
    _refresh(ctx, session, case, stage)
    if stage.due != old_due:
        _note(session, ctx, case, stage, "due", old_due, stage.due, reason)
    return f"received {fmt(old)} -> {fmt(new)}, due {fmt(stage.due)}"


def _fix_outcome(
    ctx: Context, session: Session, case: Case, to: str, reason: str, spec: Any
) -> str:
    stage = find_stage(session, case, spec)
    new = to.strip()
    _check_key(ctx, "outcome", new, "outcome")
    if (stage.procedure == "lgsco") != (new in LGSCO_OUTCOMES):
        raise DomainError(
            "Use the Ombudsman's decisions for an Ombudsman stage, and only there."
            if stage.procedure == "lgsco"
            else f"{new!r} is an Ombudsman decision."
        )
    if stage.outcome is None:
        raise DomainError(
            f"{stage_label(stage.procedure, stage.number)} has no outcome to correct yet: "
            "record the response."
        )
    old = stage.outcome
    if old == new:
        raise DomainError(f"The outcome is already {new}.")
    stage.outcome = new
    _note(session, ctx, case, stage, "outcome", old, new, reason)
    label = ctx.policy.vocabularies.label
    return f"outcome {label('outcome', old)} -> {label('outcome', new)}"


def _fix_remedies(
    ctx: Context, session: Session, case: Case, to: str, reason: str, spec: Any
) -> str:
    stage = find_stage(session, case, spec)
    rows = _remedies(to)
    for kind, _ in rows:
        _check_key(ctx, "remedy", kind, "remedy")
    current = repo.stage_remedies(session, stage)
    old = _remedy_text([(r.kind, r.amount_pence) for r in current])
    new = _remedy_text(rows)
    if old == new:
        raise DomainError("The remedies are already those.")
    for remedy in current:
        session.delete(remedy)
    for kind, pence in rows:
        session.add(Remedy(stage_id=key(stage), kind=kind, amount_pence=pence))
    _note(session, ctx, case, stage, "remedies", old or None, new or None, reason)
    return f"remedies {old or 'none'} -> {new or 'none'}"


def _fix_responded(
    ctx: Context, session: Session, case: Case, to: str, reason: str, spec: Any
) -> str:
    stage = find_stage(session, case, spec)
    new = _date(to)
    _not_future(ctx, new, "Response date")
    if stage.responded is None:
        raise DomainError(
            f"{stage_label(stage.procedure, stage.number)} has no response to correct: "
            "record the response."
        )
    started = actual_clock_start(ctx, stage)
    started = max(started, stage.received)
    if new < started:
        raise DomainError(f"Response {fmt(new)} is before the clock started ({fmt(started)}).")
    later = [
        s
        for s in repo.case_stages(session, case)
        if s.procedure == stage.procedure and s.number == stage.number + 1 and s.voided_on is None
    ]
    if later and new > later[0].received:
        raise DomainError(
            f"Response {fmt(new)} would be after the next stage was asked for "
            f"({fmt(later[0].received)})."
        )
    old = stage.responded
    if old == new:
        raise DomainError(f"The response is already dated {fmt(new)}.")
    stage.responded = new
    _note(session, ctx, case, stage, "responded", old, new, reason)
    _refresh(ctx, session, case, stage)
    if case.status == "closed":
        case.closed_on = max(
            d for s in repo.case_stages(session, case) for d in (s.responded, s.closed_on) if d
        )
    late = stage.due is not None and new > stage.due
    return f"responded {fmt(old)} -> {fmt(new)}" + (" (late)" if late else "")


_FIXES: dict[str, Callable[..., str]] = {
    "procedure": _fix_procedure,
    "received": _fix_received,
    "outcome": _fix_outcome,
    "remedies": _fix_remedies,
    "responded": _fix_responded,
}
