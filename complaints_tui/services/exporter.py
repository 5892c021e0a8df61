"""Export every stage as the spreadsheet's columns plus the computed clock columns.

The file re-imports into an empty database unchanged: the import ignores the extra columns.
CSV or an Excel workbook (by the file's extension); rows are read and written as a stream,
so the memory an export takes does not grow with the database. A cell that a spreadsheet
would run as a formula is written so that it shows as text (see ``safe_text``), and the
file goes through ``files.atomic_write``: owner-only, and renamed into place when complete.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from complaints_tui.domain.clocks import (
    acknowledged_late,
    acknowledgement_due,
    on_time,
    working_days_taken,
)
from complaints_tui.domain.vocab import STAGED_PROCEDURES
from db.tables import Case, CaseTheme, LearningAction, Remedy, Stage, Suspension

from .context import Context
from .export_sheet import write_workbook
from .files import atomic_write
from .importing.cells import FORMULA_START
from .importing.columns import COLUMNS, DETAIL_COLUMNS, EXPORT_ONLY
from .importing.details import DATES as DETAIL_DATES
from .importing.details import learning_text, remedies_text, stops_text

HEADER = (*COLUMNS, *EXPORT_ONLY, *DETAIL_COLUMNS)
DATE_COLUMNS = frozenset({"received", "responded", "due", *DETAIL_DATES})
WIDTHS = {
    "reference": 16,
    "procedure": 12,
    "stage": 7,
    "received": 12,
    "responded": 12,
    "outcome": 18,
    "extended": 10,
    "division": 20,
    "service": 24,
    "complainant": 14,
    "channel": 11,
    "advocate": 12,
    "themes": 28,
    "summary": 50,
    "due": 12,
    "status": 11,
    "working_days_taken": 12,
    "on_time": 9,
    "acknowledgement_due": 16,
    "complainant_name": 20,
    "officer": 16,
    "child_statuses": 18,
    "repeat_complainant": 10,
    "reopened_count": 10,
    "extension_reason": 24,
    "clock_stops": 36,
    "remedies": 20,
    "learning": 40,
    "fixed_due": 12,
    "closed_on": 12,
}
"""Column widths in the workbook, in characters: each heading and a typical cell fit."""


def safe_text(value: str) -> str:
    """A cell a spreadsheet shows as text: "=1+2" is written "'=1+2" (OWASP's advice).

    A value that already starts with "'" gets another, so the import, which takes one
    "'" off such a cell, gives back exactly what was stored.
    """
    if value[:1] in FORMULA_START or (value[:1] == "'" and value[1:2] in ("'", *FORMULA_START)):
        return "'" + value
    return value


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
    memo: dict[tuple[str, date], date | None] | None = None,
) -> str:
    """When the acknowledgement was due, ' late' after it when it was (or still is).

    ``memo``: the due dates already worked out in one export (a procedure's stages
    received on one day share theirs)."""
    key = (procedure, received)
    if memo is not None and key in memo:
        due = memo[key]
    else:
        due = acknowledgement_due(procedure, received, ctx.policy, ctx.cal_for(procedure))
        if memo is not None and len(memo) < _MEMO_LIMIT:
            memo[key] = due
    if due is None:
        return ""
    late = acknowledged_late(acknowledged, due, today, ended=ended)
    return due.isoformat() + (" late" if late else "")


class _Following:
    """The rows of a query in the main query's order, keyed by their first column: each
    key's rows are taken as the main query reaches it (a key with none takes nothing:
    its query's next row is a later key's)."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self.rows = iter(rows)
        self.head: Any = next(self.rows, None)

    def take(self, key: int) -> list[tuple[Any, ...]]:
        if self.head is None or self.head[0] != key:
            return []
        taken = []
        while self.head is not None and self.head[0] == key:
            taken.append(tuple(self.head[1:]))
            self.head = next(self.rows, None)
        return taken


def _rows(ctx: Context, session: Session) -> Iterator[tuple[Any, ...]]:
    """Every stage as a row of HEADER's values: dates as dates, numbers as numbers."""
    today = ctx.today()
    connection = session.connection()
    # Each stage's themes, clock stops, remedies and learning come from queries of their
    # own in the main query's order, read alongside it: held as dicts, a million cases'
    # themes took hundreds of MB.
    by_case = (Case.reference,)
    by_stage = (Case.reference, Stage.received, Stage.id)
    themes = _Following(
        connection.execute(
            select(CaseTheme.case_id, CaseTheme.theme)
            .join(Case, Case.id == CaseTheme.case_id)
            .order_by(*by_case, CaseTheme.id)
        )
    )
    stops = _Following(
        connection.execute(
            select(Suspension.stage_id, Suspension.start, Suspension.end, Suspension.reason)
            .join(Stage, Stage.id == Suspension.stage_id)
            .join(Case, Case.id == Stage.case_id)
            .order_by(*by_stage, Suspension.id)
        )
    )
    remedies = _Following(
        connection.execute(
            select(Remedy.stage_id, Remedy.kind, Remedy.amount_pence)
            .join(Stage, Stage.id == Remedy.stage_id)
            .join(Case, Case.id == Stage.case_id)
            .order_by(*by_stage, Remedy.id)
        )
    )
    learning = _Following(
        connection.execute(
            select(
                LearningAction.stage_id,
                LearningAction.text,
                LearningAction.owner,
                LearningAction.due,
                LearningAction.status,
            )
            .join(Stage, Stage.id == LearningAction.stage_id)
            .join(Case, Case.id == Stage.case_id)
            .order_by(*by_stage, LearningAction.id)
        )
    )
    themes_of: tuple[int, str] = (0, "")
    statement = (
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
            Case.complainant_name,
            Case.officer,
            Case.child_statuses,
            Case.repeat_complainant,
            Case.reopened_count,
            Case.matter_date,
            Stage.acknowledged,
            Stage.extension_reason,
            Stage.extension_agreed,
            Stage.panel_date,
            Stage.panel_report_date,
            Stage.fixed_due,
        )
        .join(Stage, Stage.case_id == Case.id)
        .order_by(*by_stage)
    )
    days_taken: dict[tuple[date, date], int] = {}
    due_by: dict[tuple[str, date], date | None] = {}
    # Through the connection, rows come from the cursor as they are read, not as a list.
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
        complainant_name,
        officer,
        child_statuses,
        repeat_complainant,
        reopened_count,
        matter_date,
        acknowledged,
        extension_reason,
        extension_agreed,
        panel_date,
        panel_report_date,
        fixed_due,
    ) in connection.execute(statement):
        if themes_of[0] != case_id:  # the case's first stage
            themes_of = (case_id, ";".join(t for (t,) in themes.take(case_id)))
        stop_rows = stops.take(stage_id)
        stopped = [(a, b) for a, b, _ in stop_rows]
        if responded is None:
            taken = None
        elif stopped:
            taken = working_days_taken(ctx.cal, clock_start, responded, tuple(stopped))
        else:
            # Most stages have no clock stop: their count depends on two days alone.
            taken = days_taken.get((clock_start, responded))
            if taken is None:
                taken = working_days_taken(ctx.cal, clock_start, responded)
                if len(days_taken) < _MEMO_LIMIT:
                    days_taken[(clock_start, responded)] = taken
        yield (
            reference,
            procedure,
            number if procedure in STAGED_PROCEDURES else None,
            received,
            responded,
            outcome or (duty_category if procedure == "duty" else "") or "",
            _yes_no(extended_to is not None),
            division or "",
            service or "",
            complainant or "",
            channel or "",
            advocate or ("yes" if advocate_involved else ""),
            themes_of[1],
            summary or "",
            due,
            status,
            taken,
            _yes_no(_on_time(procedure, status, responded, closed_on, due, today)),
            _acknowledgement(
                ctx, procedure, received, acknowledged, responded or closed_on, today, due_by
            ),
            complainant_name or "",
            officer or "",
            child_statuses or "",
            _yes_no(bool(repeat_complainant)),
            reopened_count or 0,
            matter_date,
            acknowledged,
            extension_reason or "",
            extension_agreed,
            panel_date,
            panel_report_date,
            stops_text((a, b, why or "") for a, b, why in stop_rows) if stop_rows else "",
            remedies_text(remedies.take(stage_id)),  # type: ignore[arg-type]
            learning_text(learning.take(stage_id)),  # type: ignore[arg-type]
            fixed_due,
            closed_on,
        )


_MEMO_LIMIT = 50_000
"""Values remembered at once in one export: held to a size, however large the database."""

_DATE_AT = tuple(i for i, c in enumerate(HEADER) if c in DATE_COLUMNS)
_UNSAFE_START = frozenset({*FORMULA_START, "'"})
"""First characters of a text that ``safe_text`` may change."""


def _csv_row(row: tuple[Any, ...]) -> list[Any]:
    """A row as the CSV's cells: dates as ISO text, text safe from a spreadsheet's
    formulas; numbers and None as the csv module writes them (as text, and empty)."""
    cells = list(row)
    for at in _DATE_AT:
        value = cells[at]
        if value is not None:
            cells[at] = value.isoformat()
    # One look at the first characters of the row's texts: almost every row is safe.
    if not _UNSAFE_START.isdisjoint({v[:1] for v in cells if type(v) is str}):
        cells = [safe_text(v) if type(v) is str else v for v in cells]
    return cells


def export_csv(ctx: Context, path: Path) -> int:
    """Write every stage to ``path`` as CSV; returns the number of rows written."""
    written = 0
    with (
        Session(ctx.engine) as session,
        atomic_write(path, "w", newline="", encoding="utf-8") as handle,
    ):
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in _rows(ctx, session):
            writer.writerow(_csv_row(row))
            written += 1
    return written


def export_xlsx(ctx: Context, path: Path) -> int:
    """Write every stage to ``path`` as a workbook officers can filter at once: a frozen,
    bold header with an autofilter, dates as date cells shown the UK way, set widths."""
    with Session(ctx.engine) as session:
        count = session.execute(select(func.count()).select_from(Stage)).scalar_one()
        return write_workbook(
            path,
            "Stages",
            HEADER,
            [WIDTHS.get(column, 12) for column in HEADER],
            _rows(ctx, session),
            count,
        )


def export_file(ctx: Context, path: Path) -> int:
    """Export as a workbook for .xlsx, as CSV otherwise."""
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        return export_xlsx(ctx, path)
    return export_csv(ctx, path)
