"""Every exported row says what the stored record and the rules say, on both databases.

The export reads the driver's rows and works most columns out in its query (see
``services/export_rows``); here each row is held to the record read through the tables and
to the rules of ``domain.clocks``, column by column, for every stage of a team's demo data
(stages answered, open, late, withdrawn, stopped and resumed, with remedies and learning).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.clocks import (
    acknowledged_late,
    acknowledgement_due,
    on_time,
    working_days_taken,
)
from complaints_tui.domain.vocab import STAGED_PROCEDURES
from complaints_tui.services import demo
from complaints_tui.services.context import Context
from complaints_tui.services.exporter import HEADER, export_file
from db.engine import make_engine
from db.tables import Case, CaseTheme, LearningAction, Remedy, Stage, Suspension

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def team(new_module_db: Callable[..., str]) -> Iterator[Context]:
    engine = make_engine(new_module_db("export"))
    ctx = Context(engine, calendar=WorkingCalendar(), actor="Test Officer", clock=lambda: TODAY)
    demo.fill(ctx, 600, seed=3)
    yield ctx
    engine.dispose()


def _day(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def expected_rows(ctx: Context) -> list[dict[str, str]]:
    """Each stage as the export should write it, from the tables and the rules."""
    today = ctx.today()
    out = []
    with Session(ctx.engine) as session:
        themes: dict[int, list[str]] = {}
        for theme in session.exec(select(CaseTheme).order_by(CaseTheme.id)):
            themes.setdefault(theme.case_id, []).append(theme.theme)

        def of(table):  # type: ignore[no-untyped-def]
            found: dict[int, list] = {}  # type: ignore[type-arg]
            for row in session.exec(select(table).order_by(table.id)):
                found.setdefault(row.stage_id, []).append(row)
            return found

        stops, remedies, learning = of(Suspension), of(Remedy), of(LearningAction)
        pairs = session.exec(
            select(Stage, Case)
            .join(Case, Case.id == Stage.case_id)
            .order_by(Case.reference, Stage.received, Stage.id)
        )
        for stage, case in pairs:
            spans = tuple((s.start, s.end) for s in stops.get(stage.id, []))
            if stage.procedure == "duty" and stage.closed_on and not stage.responded:
                timely = on_time(stage.closed_on, stage.due, today)
            elif stage.responded is None and stage.status in ("closed", "withdrawn", "refused"):
                timely = None
            else:
                timely = on_time(stage.responded, stage.due, today)
            ack_due = acknowledgement_due(
                stage.procedure, stage.received, ctx.policy, ctx.cal_for(stage.procedure)
            )
            late = acknowledged_late(
                stage.acknowledged, ack_due, today, ended=stage.responded or stage.closed_on
            )
            values = {
                "reference": case.reference,
                "procedure": stage.procedure,
                "stage": str(stage.number) if stage.procedure in STAGED_PROCEDURES else "",
                "received": _day(stage.received),
                "responded": _day(stage.responded),
                "outcome": stage.outcome
                or (case.duty_category if stage.procedure == "duty" else "")
                or "",
                "extended": _yes_no(stage.extended_to is not None),
                "division": case.division or "",
                "service": case.service or "",
                "complainant": case.complainant_type or "",
                "channel": case.channel or "",
                "advocate": case.advocate or ("yes" if case.advocate_involved else ""),
                "themes": ";".join(themes.get(case.id, [])),  # type: ignore[arg-type]
                "summary": case.summary or "",
                "due": _day(stage.due),
                "status": stage.status,
                "working_days_taken": ""
                if stage.responded is None
                else str(working_days_taken(ctx.cal, stage.clock_start, stage.responded, spans)),
                "on_time": _yes_no(timely),
                "acknowledgement_due": ""
                if ack_due is None
                else ack_due.isoformat() + (" late" if late else ""),
                "complainant_name": case.complainant_name or "",
                "officer": case.officer or "",
                "child_statuses": case.child_statuses or "",
                "repeat_complainant": _yes_no(bool(case.repeat_complainant)),
                "reopened_count": str(case.reopened_count or 0),
                "matter_date": _day(case.matter_date),
                "acknowledged": _day(stage.acknowledged),
                "extension_reason": stage.extension_reason or "",
                "extension_agreed": _day(stage.extension_agreed),
                "panel_date": _day(stage.panel_date),
                "panel_report_date": _day(stage.panel_report_date),
                "clock_stops": "\n".join(
                    f"{_day(s.start)} to {_day(s.end)}" + (f": {s.reason}" if s.reason else "")
                    for s in stops.get(stage.id, [])  # type: ignore[arg-type]
                ),
                "remedies": "\n".join(
                    r.kind if r.amount_pence is None else f"{r.kind}: £{r.amount_pence / 100:.2f}"
                    for r in remedies.get(stage.id, [])  # type: ignore[arg-type]
                ),
                "learning": "\n".join(
                    f"{a.text} | {a.owner or ''} | {_day(a.due)} | {a.status}"
                    for a in learning.get(stage.id, [])  # type: ignore[arg-type]
                ),
                "fixed_due": _day(stage.fixed_due),
                "closed_on": _day(stage.closed_on),
            }
            out.append(values)
    return out


def test_every_exported_row_is_the_record_as_the_rules_read_it(
    team: Context, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    written = export_file(team, path)
    with path.open(newline="", encoding="utf-8") as handle:
        got = list(csv.DictReader(handle))
    expected = expected_rows(team)
    assert written == len(expected) == len(got) > 600
    assert list(got[0]) == list(HEADER)
    for row, want in zip(got, expected, strict=True):
        assert row == want
    # the data has what the rules distinguish: without it the comparison proves little
    column = {name: {row[name] for row in got} for name in HEADER}
    assert {"yes", "no", ""} <= column["on_time"]
    assert any(v.endswith(" late") for v in column["acknowledgement_due"])
    assert any(column[name] - {""} for name in ("clock_stops", "remedies", "learning"))
    assert all(column[name] - {""} for name in ("remedies", "learning", "themes"))
