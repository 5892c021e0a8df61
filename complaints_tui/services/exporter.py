"""Export every stage as the spreadsheet's columns plus the computed clock columns.

The file re-imports into an empty database unchanged: the import ignores the extra columns.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from complaints_tui.domain.clocks import (
    acknowledged_late,
    acknowledgement_due,
    on_time,
    working_days_taken,
)
from complaints_tui.domain.vocab import STAGED_PROCEDURES
from db.tables import Case, CaseTheme, Stage, Suspension

from .context import Context
from .importer import COLUMNS, EXPORT_ONLY


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _on_time(
    procedure: str,
    status: str,
    responded: date | None,
    closed_on: date | None,
    due: date | None,
    today: date,
) -> bool | None:
    """A duty matter is on time if triaged by its due date; a stage closed without a
    response (withdrawn, refused, closed) has no timeliness to report."""
    if procedure == "duty" and closed_on and not responded:
        return on_time(closed_on, due, today)
    if responded is None and status in ("closed", "withdrawn", "refused"):
        return None
    return on_time(responded, due, today)


def _acknowledgement(
    ctx: Context,
    procedure: str,
    received: date,
    acknowledged: date | None,
    ended: date | None,
    today: date,
) -> str:
    """When the acknowledgement was due, ' late' after it when it was (or still is)."""
    due = acknowledgement_due(procedure, received, ctx.policy, ctx.cal_for(procedure))
    if due is None:
        return ""
    late = acknowledged_late(acknowledged, due, today, ended=ended)
    return due.isoformat() + (" late" if late else "")


def export_csv(ctx: Context, path: Path) -> int:
    """Write every stage to ``path``; returns the number of rows written."""
    today = ctx.today()
    with Session(ctx.engine) as session:
        themes: dict[int, list[str]] = defaultdict(list)
        for case_id, theme in session.execute(
            select(CaseTheme.case_id, CaseTheme.theme).order_by(CaseTheme.id)
        ):
            themes[case_id].append(theme)
        spans: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
        for stage_id, start, end in session.execute(
            select(Suspension.stage_id, Suspension.start, Suspension.end)
        ):
            spans[stage_id].append((start, end))
        rows = session.execute(
            select(
                Case.id,
                Case.reference,
                Case.complainant_type,
                Case.channel,
                Case.advocate_involved,
                Case.advocate,
                Case.division,
                Case.service,
                Case.summary,
                Case.duty_category,
                Stage.id,
                Stage.procedure,
                Stage.number,
                Stage.received,
                Stage.clock_start,
                Stage.responded,
                Stage.outcome,
                Stage.extended_to,
                Stage.due,
                Stage.status,
                Stage.closed_on,
                Stage.acknowledged,
            )
            .join(Stage, Stage.case_id == Case.id)
            .order_by(Case.reference, Stage.received, Stage.id)
        ).all()
    written = 0
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow((*COLUMNS, *EXPORT_ONLY))
        for (
            case_id,
            reference,
            complainant,
            channel,
            advocate_involved,
            advocate,
            division,
            service,
            summary,
            duty_category,
            stage_id,
            procedure,
            number,
            received,
            clock_start,
            responded,
            outcome,
            extended_to,
            due,
            status,
            closed_on,
            acknowledged,
        ) in rows:
            taken = (
                working_days_taken(ctx.cal, clock_start, responded, tuple(spans[stage_id]))
                if responded
                else None
            )
            writer.writerow(
                (
                    reference,
                    procedure,
                    number if procedure in STAGED_PROCEDURES else "",
                    received.isoformat(),
                    responded.isoformat() if responded else "",
                    outcome or (duty_category if procedure == "duty" else "") or "",
                    _yes_no(extended_to is not None),
                    division or "",
                    service or "",
                    complainant or "",
                    channel or "",
                    advocate or ("yes" if advocate_involved else ""),
                    ";".join(themes[case_id]),
                    summary or "",
                    due.isoformat() if due else "",
                    status,
                    "" if taken is None else taken,
                    _yes_no(_on_time(procedure, status, responded, closed_on, due, today)),
                    _acknowledgement(
                        ctx, procedure, received, acknowledged, responded or closed_on, today
                    ),
                )
            )
            written += 1
    return written
