"""One row of the case list: the columns a page reads, and the row an officer sees."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import col

from complaints_tui.domain.clocks import OPEN_STATUSES, working_days_left
from complaints_tui.domain.vocab import stage_label
from db.tables import Case, Stage

from .context import Context
from .lists_model import CaseRow, summary_line

ROW_COLUMNS = (
    col(Stage.id),
    col(Case.reference),
    col(Case.version),
    col(Stage.procedure),
    col(Stage.number),
    col(Stage.received),
    col(Stage.due),
    col(Stage.status),
    col(Case.service),
    col(Case.division),
    col(Case.officer),
    col(Case.complainant_name),
    col(Case.summary),
)


def row(
    ctx: Context,
    today: date,
    segment: int,
    values: Sequence[Any],
    working_days: bool,
) -> CaseRow:
    sid, ref, version, proc, num, received, due, status, service, division, officer, name, summ = (
        values[: len(ROW_COLUMNS)]
    )
    running = due is not None and status in OPEN_STATUSES
    return CaseRow(
        stage_id=sid,
        reference=ref,
        version=version,
        procedure=proc,
        number=num,
        label=stage_label(proc, num),
        received=received,
        due=due,
        days_left=working_days_left(ctx.cal_for(proc), today, due)
        if running and working_days
        else None,
        status=status,
        service=service,
        division=division,
        officer=officer,
        complainant=name,
        summary=summary_line(summ),
        key=(segment, *values[len(ROW_COLUMNS) :]),
    )
