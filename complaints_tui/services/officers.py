"""The team's officers as a managed list: add, rename, leave, and hand on open cases.

Assignment picks from this list, so a typo cannot create an officer. Every case an
action changes gets a timeline entry and a new version (a screen showing the old one
is told, not overwritten).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from complaints_tui.domain.clocks import fmt
from complaints_tui.domain.errors import DomainError
from db import repo
from db.engine import transaction
from db.tables import Case, Event, Officer, key

from .actions._base import Done
from .context import Context


@dataclass(frozen=True)
class OfficerView:
    name: str
    active: bool
    left_on: date | None
    open_cases: int


def _clean(name: str) -> str:
    return " ".join((name or "").split())


def _find(session: Session, name: str) -> Officer | None:
    wanted = _clean(name).casefold()
    for officer in session.exec(select(Officer)):
        if officer.name.casefold() == wanted:
            return officer
    return None


def _active_names(session: Session) -> list[str]:
    rows = session.exec(select(Officer.name).where(Officer.active).order_by(Officer.name))
    return list(rows)


def resolve(session: Session, name: str) -> str:
    """The officer's name as the list spells it; refused when not an active officer."""
    officer = _find(session, name)
    if officer is None:
        names = ", ".join(_active_names(session)) or "none yet"
        raise DomainError(
            f"No officer named {_clean(name)!r} on the team's list (officers: {names}). "
            "Add one with: complaints-tui officer add NAME."
        )
    if not officer.active:
        raise DomainError(f"{officer.name} left on {fmt(officer.left_on)}: choose another officer.")
    return officer.name


def officer_names(ctx: Context) -> tuple[str, ...]:
    """Active officers, for assignment to pick from."""
    with Session(ctx.engine) as session:
        return tuple(_active_names(session))


def list_officers(ctx: Context) -> list[OfficerView]:
    """Every officer, those who left last, with their open cases counted."""
    with Session(ctx.engine) as session:
        counts = dict(
            session.execute(
                select(Case.officer, func.count())
                .where(Case.status == "open", col(Case.officer).is_not(None))
                .group_by(Case.officer)
            ).all()
        )
        rows = session.exec(select(Officer).order_by(col(Officer.active).desc(), Officer.name))
        return [OfficerView(o.name, o.active, o.left_on, counts.get(o.name, 0)) for o in rows]


def seed_from_cases(session: Session) -> int:
    """Add every officer named on a case but missing from the list (demo data, imports)."""
    named = set(session.exec(select(Case.officer).where(col(Case.officer).is_not(None)).distinct()))
    known = {o.casefold() for o in session.exec(select(Officer.name))}
    added = 0
    for name in sorted(n for n in named if n and n.casefold() not in known):
        session.add(Officer(name=name))
        added += 1
    return added


def add_officer(ctx: Context, name: str) -> Done:
    name = _clean(name)
    if not name:
        raise DomainError("An officer needs a name.")
    with transaction(ctx.engine) as session:
        existing = _find(session, name)
        if existing is not None and existing.active:
            raise DomainError(f"{existing.name} is already on the team's list.")
        if existing is not None:  # coming back after leaving
            existing.active, existing.left_on = True, None
            return Done("", f"{existing.name} is back on the team's list.")
        session.add(Officer(name=name))
    return Done("", f"{name} added to the team's list.")


def _log_case(session: Session, ctx: Context, case: Case, old: str | None, new: str | None) -> None:
    repo.bump_version(session, case, None)
    session.add(
        Event(
            case_id=key(case), who=ctx.actor, action="assigned", field="officer", old=old, new=new
        )
    )


def rename_officer(ctx: Context, old: str, new: str) -> Done:
    """Correct an officer's name everywhere: the list and every case assigned to them."""
    new = _clean(new)
    if not new:
        raise DomainError("The new name is empty.")
    with transaction(ctx.engine) as session:
        officer = _find(session, old)
        if officer is None:
            raise DomainError(f"No officer named {_clean(old)!r} on the team's list.")
        clash = _find(session, new)
        if clash is not None and clash.id != officer.id:
            raise DomainError(f"{clash.name} is already on the team's list.")
        before = officer.name
        officer.name = new
        cases = list(session.exec(select(Case).where(Case.officer == before)))
        for case in cases:
            _log_case(session, ctx, case, before, new)
            case.officer = new
    return Done("", f"{before} renamed {new}; {len(cases)} case(s) follow the new name.")


def reassign_open_cases(ctx: Context, from_officer: str, to_officer: str | None) -> Done:
    """Every open case of one officer to another (None: unassigned), in one transaction."""
    with transaction(ctx.engine) as session:
        source = _find(session, from_officer)
        if source is None:
            raise DomainError(f"No officer named {_clean(from_officer)!r} on the team's list.")
        target = resolve(session, to_officer) if to_officer and to_officer.strip() else None
        if target == source.name:
            raise DomainError(f"The cases are already {source.name}'s.")
        moved = _move(session, ctx, source.name, target)
    return Done("", f"{moved} open case(s) of {source.name} now {_whose(target)}.")


def _whose(name: str | None) -> str:
    return f"assigned to {name}" if name else "unassigned"


def _move(session: Session, ctx: Context, source: str, target: str | None) -> int:
    cases = list(session.exec(select(Case).where(Case.officer == source, Case.status == "open")))
    for case in cases:
        _log_case(session, ctx, case, source, target)
        case.officer = target
    return len(cases)


def officer_leaves(
    ctx: Context, name: str, *, on: date | None = None, reassign_to: str | None = None
) -> Done:
    """The officer leaves the team: off the list for new assignments; their open cases go to
    ``reassign_to`` (or stay with their name, shown as theirs, until reassigned)."""
    on = on or ctx.today()
    with transaction(ctx.engine) as session:
        officer = _find(session, name)
        if officer is None:
            raise DomainError(f"No officer named {_clean(name)!r} on the team's list.")
        if not officer.active:
            raise DomainError(f"{officer.name} already left on {fmt(officer.left_on)}.")
        target = resolve(session, reassign_to) if reassign_to and reassign_to.strip() else None
        if target == officer.name:
            raise DomainError("An officer who leaves cannot take their own cases.")
        officer.active, officer.left_on = False, on
        moved = _move(session, ctx, officer.name, target) if target else 0
        still = session.execute(
            select(func.count()).where(Case.officer == officer.name, Case.status == "open")
        ).scalar_one()
    message = f"{officer.name} left on {fmt(on)}."
    if moved:
        message += f" {moved} open case(s) now {_whose(target)}."
    if still:
        message += f" {still} open case(s) still theirs: reassign them."
    return Done("", message)
