"""The rest of the record: notes, assignment, links, the case's details, learning actions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.vocab import (
    LEARNING_STATUSES,
)
from db import repo
from db.engine import transaction
from db.tables import CaseLink, LearningAction, key

from ..context import Context
from ._base import (
    Done,
    _begin,
    _check_key,
    _log,
    _required,
    _set,
)


def add_note(
    ctx: Context, reference: str, text: str, *, expected_version: int | None = None
) -> Done:
    text = _required(text, "A note cannot be empty.")
    with transaction(ctx.engine) as session:
        # a note only adds to the timeline: it is saved whatever a colleague did meanwhile
        case = _begin(session, reference, expected_version, append_only=True)
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
        case = _begin(session, reference, expected_version, append_only=True)
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
        case = _begin(session, reference, expected_version, append_only=True)
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
