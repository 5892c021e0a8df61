"""A case or stage logged by mistake: voided, it is in no list or report, stays on the
timeline, and can be restored."""

from __future__ import annotations

from complaints_tui.domain.clocks import fmt
from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.vocab import stage_label
from db import repo
from db.engine import transaction

from ..context import Context
from ._base import Done, _begin, _log, _refresh, _required
from .corrections import find_stage


def void(
    ctx: Context,
    reference: str,
    *,
    reason: str,
    stage: str | int | None = None,
    expected_version: int | None = None,
) -> Done:
    """Void the case (``stage`` None) or one stage logged by mistake."""
    reason = _required(reason, "Voiding needs a reason.")
    today = ctx.today()
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        if case.voided_on is not None:
            raise DomainError(f"{case.reference} was already voided on {fmt(case.voided_on)}.")
        if stage is None:
            case.voided_on, case.void_reason = today, reason
            _log(
                session,
                ctx,
                case,
                "voided",
                field="status",
                old=case.status,
                new="voided",
                note=reason,
            )
            for st in repo.case_stages(session, case):
                _refresh(ctx, session, case, st)
            return Done(case.reference, f"{case.reference} voided: it is in no list or report.")
        target = find_stage(session, case, stage)
        live = [s for s in repo.case_stages(session, case) if s.voided_on is None]
        if len(live) == 1:
            raise DomainError(f"It is {case.reference}'s only stage: void the case instead.")
        if any(s.procedure == target.procedure and s.number > target.number for s in live):
            raise DomainError("A later stage follows this one: void that first.")
        target.voided_on, target.void_reason = today, reason
        label = stage_label(target.procedure, target.number)
        _log(
            session,
            ctx,
            case,
            "voided",
            stage=target,
            field="status",
            old=target.status,
            new="voided",
            note=reason,
        )
        _refresh(ctx, session, case, target)
    return Done(case.reference, f"{case.reference} {label} voided: it is in no list or report.")


def restore(
    ctx: Context,
    reference: str,
    *,
    reason: str,
    stage: str | int | None = None,
    expected_version: int | None = None,
) -> Done:
    """Undo a void: the case (``stage`` None) or the stage is back in lists and reports."""
    reason = _required(reason, "Restoring needs a reason.")
    with transaction(ctx.engine) as session:
        case = _begin(session, reference, expected_version)
        if stage is None:
            if case.voided_on is None:
                raise DomainError(f"{case.reference} is not voided.")
            case.voided_on, case.void_reason = None, None
            for st in repo.case_stages(session, case):
                _refresh(ctx, session, case, st)
            _log(
                session,
                ctx,
                case,
                "restored",
                field="status",
                old="voided",
                new=case.status,
                note=reason,
            )
            return Done(case.reference, f"{case.reference} restored ({case.status}).")
        voided = [s for s in repo.case_stages(session, case) if s.voided_on is not None]
        text = str(stage).strip().lower()
        target = next(
            (
                s
                for s in reversed(voided)
                if s.id == stage
                or (text.startswith("lgsco") and s.procedure == "lgsco")
                or (text.isdigit() and s.procedure != "lgsco" and s.number == int(text))
            ),
            None,
        )
        if target is None:
            raise DomainError(f"{case.reference} has no voided stage {stage}.")
        target.voided_on, target.void_reason = None, None
        _refresh(ctx, session, case, target)
        label = stage_label(target.procedure, target.number)
        _log(
            session,
            ctx,
            case,
            "restored",
            stage=target,
            field="status",
            old="voided",
            new=target.status,
            note=reason,
        )
    return Done(case.reference, f"{case.reference} {label} restored ({target.status}).")
