"""Who the case is about: children replaced as the officer typed them, themes checked."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, select

from complaints_tui.domain.people import Child, NewThemes, check_children, new_themes
from complaints_tui.domain.vocab import normalise_free_text
from db import repo
from db.tables import Case, CaseChild, CaseTheme, key

from .context import Context


def known_themes(ctx: Context, session: Session) -> list[str]:
    """The vocabulary's themes and every theme already on a case."""
    used = session.exec(select(CaseTheme.theme).distinct())
    return [*ctx.policy.vocabularies.tables["theme"].values(), *used]


def check_themes(
    ctx: Context, session: Session, themes: Sequence[str], confirmed: Sequence[str] = ()
) -> None:
    """Refuse themes nobody has used unless the officer confirmed exactly those."""
    unknown = new_themes(themes, known_themes(ctx, session))
    agreed = {normalise_free_text(t) for t in confirmed}
    pending = [t for t in unknown if normalise_free_text(t) not in agreed]
    if pending:
        raise NewThemes(pending)


def add_children(session: Session, case: Case, children: Sequence[Child]) -> None:
    for child in children:
        session.add(
            CaseChild(case_id=key(case), name=child.name, date_of_birth=child.date_of_birth)
        )


def replace_children(
    ctx: Context, session: Session, case: Case, children: Sequence[Child]
) -> list[tuple[str | None, str | None]]:
    """Make the case's children these; the changes as (old, new) for the timeline.

    A child whose name is unchanged keeps its row (its date of birth may change); a child
    no longer listed is removed; a new name is added.
    """
    wanted = check_children(children, ctx.today())
    current = {normalise_free_text(c.name): c for c in repo.case_children(session, case)}
    changes: list[tuple[str | None, str | None]] = []
    for child in wanted:
        row = current.pop(normalise_free_text(child.name), None)
        if row is None:
            add_children(session, case, [child])
            changes.append((None, child.text()))
            continue
        old = Child(row.name, row.date_of_birth).text()
        if row.date_of_birth != child.date_of_birth or row.name != child.name:
            row.name, row.date_of_birth = child.name, child.date_of_birth
            changes.append((old, child.text()))
    for row in current.values():
        changes.append((Child(row.name, row.date_of_birth).text(), None))
        session.delete(row)
    return changes
