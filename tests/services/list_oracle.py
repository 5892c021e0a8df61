"""What a case list should hold, worked out in Python from every row: the oracle the list
tests compare the database's paged reads with."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from complaints_tui.domain.search_text import fold
from complaints_tui.services import lists as L
from complaints_tui.services.context import Context
from db.tables import Case, Stage


def everything(ctx: Context, f: L.CaseFilter) -> list[int]:
    """The stage ids the filter should list, in order, worked out in Python."""
    with Session(ctx.engine) as session:
        rows = session.execute(
            select(
                col(Stage.id),
                col(Stage.status),
                col(Stage.due),
                col(Stage.received),
                col(Stage.procedure),
                col(Stage.number),
                col(Case.reference),
                col(Case.officer),
                col(Case.service),
                col(Case.summary),
                col(Case.complainant_name),
            ).join(Case, col(Case.id) == col(Stage.case_id))
        ).all()
    out = []
    for sid, status, due, received, proc, num, ref, officer, service, summary, name in rows:
        if status == "voided":  # logged by mistake: in no list
            continue
        running = status in ("open", "suspended")
        if f.scope == "open" and not running or f.scope == "closed" and running:
            continue
        if f.mine and officer != ctx.actor:
            continue
        if f.procedure and proc != f.procedure or f.stage and num != f.stage:
            continue
        if f.service and service != f.service:
            continue
        words = fold(f.search).split()
        haystack = fold(f"{ref}|{summary}|{name or ''}")
        searched = any(len(w) >= 3 for w in words)  # shorter words alone are no search
        if searched and any(w not in haystack for w in words):
            continue
        if f.sort == "due":
            key: tuple = (due is None, due or date.min, sid)
        elif f.sort == "received":
            key = (-received.toordinal(), -sid)
        else:
            key = (ref, sid)
        out.append((key, sid))
    return [sid for _, sid in sorted(out)]
