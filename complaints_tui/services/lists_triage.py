"""The duty triage queue: untriaged contacts, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select
from sqlmodel import Session, col

from complaints_tui.domain.clocks import OPEN_STATUSES
from db.tables import Case, Stage

from .context import Context
from .lists_model import PAGE, summary_line


@dataclass(frozen=True)
class ContactRow:
    """An untriaged duty contact."""

    reference: str
    version: int
    received: date
    who: str | None
    channel: str | None
    service: str | None
    summary: str
    pending_since: date | None = None
    """Awaiting further information since this day (it stays in the queue until triaged)."""


def _queue_where() -> list[ColumnElement[bool]]:
    # Driven from the stages' status index: open stages are few, duty contacts fewer.
    return [
        col(Stage.status).in_(OPEN_STATUSES),
        col(Stage.procedure) == "duty",
        col(Case.procedure) == "duty",
        or_(col(Case.duty_category).is_(None), col(Case.duty_category) == "pending_information"),
    ]


def triage_count(ctx: Context) -> int:
    with Session(ctx.engine) as session:
        stmt = (
            select(func.count())
            .select_from(Stage)
            .join(Case, col(Case.id) == col(Stage.case_id))
            .where(*_queue_where())
        )
        return session.execute(stmt).scalar_one()


def triage_queue(ctx: Context, *, offset: int = 0, limit: int = PAGE) -> list[ContactRow]:
    """Untriaged contacts, oldest first: the order the duty officer works through them."""
    with Session(ctx.engine) as session:
        stmt = (
            select(
                col(Case.reference),
                col(Case.version),
                col(Stage.received),
                col(Case.complainant_name),
                col(Case.channel),
                col(Case.service),
                col(Case.summary),
                col(Case.pending_since),
            )
            .select_from(Stage)
            .join(Case, col(Case.id) == col(Stage.case_id))
            .where(*_queue_where())
            .order_by(col(Stage.received), col(Stage.id))
            .limit(limit)
            .offset(offset or None)
        )
        return [
            ContactRow(
                ref, version, received, who, channel, service, summary_line(summary), pending
            )
            for ref, version, received, who, channel, service, summary, pending in session.execute(
                stmt
            )
        ]
