"""What turns the computed tables into the report a council tables: the procedures it
covers, the year before beside this one, a key-figures page first, the tables with
nothing to say left out (with a note), and who publishes it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import date

from .report import (
    DETAIL,
    ONTIME,
    TOTAL,
    Cell,
    Column,
    Report,
    ReportFacts,
    Row,
    Table,
    column_label,
    period_of,
    year_label,
)
from .vocab import PROCEDURES

ALWAYS = frozenset({"key_figures", "key_rates", "received_by_year", "received_by_quarter"})
"""Tables kept even when empty: a year with nothing received says so."""

RECORDED_ONLY = frozenset({"channels", "complainant_types"})
"""Tables with nothing to say when every row is 'not recorded'."""

KEY_COLUMNS = (
    "statutory_1",
    "statutory_2",
    "statutory_3",
    "corporate_1",
    "corporate_2",
    "corporate_3",
    "lgsco",
    "mp",
    "councillor",
    "general",
    "compliment",
)


def only_procedures(facts: ReportFacts, procedures: Collection[str] | None) -> ReportFacts:
    """The facts of ``procedures`` alone (all of them when None)."""
    if not procedures:
        return facts
    keep = frozenset(procedures)
    stages = [f for f in facts.stages if f.procedure in keep]
    ids = {f.id for f in stages}
    cases = {f.case_id for f in stages}
    return ReportFacts(
        stages=stages,
        cases=[c for c in facts.cases if c.id in cases],
        themes=[t for t in facts.themes if t.case_id in cases],
        suspensions=[s for s in facts.suspensions if s.stage_id in ids],
        remedies=[r for r in facts.remedies if r.stage_id in ids],
        learning=[a for a in facts.learning if a.stage_id in ids],
        history=None
        if facts.history is None
        else [h for h in facts.history if h.procedure in keep],
    )


def previous_as_at(year: int, as_at: date) -> date:
    """The as-at date of the year before: the same day a year earlier while ``year`` is in
    progress (the same months, as they stood then), else ``as_at`` itself."""
    _, end = period_of(year)
    if as_at >= end:
        return as_at
    try:
        return as_at.replace(year=as_at.year - 1)
    except ValueError:  # 29 February
        return as_at.replace(year=as_at.year - 1, day=28)


def is_empty(table: Table) -> bool:
    """Nothing to say: no detail rows, every figure zero, or only 'not recorded'."""
    if table.id in ALWAYS:
        return False
    body = [r for r in table.rows if r.kind != TOTAL] or list(table.rows)
    if not body:
        return True
    if table.id in RECORDED_ONLY and all(r.key == "not_recorded" for r in body):
        return True
    figures = [c.key for c in table.columns if c.kind != "text"]
    if not figures:
        return False

    def zero(v: Cell) -> bool:
        if isinstance(v, Mapping):
            return not v.get("total")
        return v in (0, None)

    return all(zero(r.cells.get(k)) for r in body for k in figures)


def _key_tables(report: Report) -> tuple[Table, Table]:
    """Key figures: totals by type, % on time per stage, % upheld, Stage 1 to 2
    progression, Ombudsman decisions and upheld, payments, compliments - each with last
    year's figure beside it (the renderers add the direction of change)."""
    years = [report] + ([report.previous] if report.previous else [])
    names = ["this_year", "previous_year"][: len(years)]

    def get(r: Report, table: str, row: str, col: str) -> Cell:
        try:
            return r.table(table).cell(row, col)
        except (KeyError, StopIteration):
            return None

    counts: list[Row] = []
    for key in KEY_COLUMNS:
        cells = {
            n: get(r, "received_by_quarter", "total", key) or 0
            for n, r in zip(names, years, strict=True)
        }
        if any(cells.values()):
            counts.append(Row(key, f"{column_label(key)} received", cells))
    # the caseload worked on (carried in + received) at the later stages, as the
    # executive summaries compare them
    for key in ("statutory_2", "statutory_3", "corporate_2", "corporate_3", "lgsco"):
        cells = {
            n: get(r, "carried_forward", key, "worked_on") or 0
            for n, r in zip(names, years, strict=True)
        }
        if any(cells.values()):
            counts.append(Row(f"worked_on:{key}", f"{column_label(key)} worked on", cells))
    for row, label, table, col in (
        ("lgsco_decided", "Ombudsman decisions", "lgsco_decisions", "count"),
        ("payments", "Payments (£)", "remedies", "amount"),
    ):
        if row == "lgsco_decided":
            cells = {
                n: (get(r, "lgsco_decisions", "total", "count") or 0)
                - (get(r, "lgsco_decisions", "awaiting", "count") or 0)
                for n, r in zip(names, years, strict=True)
            }
        else:
            # whole pounds: a key figure, the remedies table has the pence
            cells = {
                n: round(get(r, table, "total", col) or 0)
                for n, r in zip(names, years, strict=True)
            }
        if any(cells.values()):
            counts.append(Row(row, label, cells, "memo" if row == "payments" else DETAIL))
    columns = tuple(
        Column(n, year_label(r.year) + (" to date" if r.as_at < r.period_end else ""))
        for n, r in zip(names, years, strict=True)
    )
    key_figures = Table(
        "key_figures",
        "Key figures",
        tuple(replace(c, in_row_total=False, adds_down=False) for c in columns),
        tuple(counts),
        row_total=None,
        note="Received in the year by type; worked on: carried in from the year before plus "
        "received; the Ombudsman's decisions on the counted enquiries; each beside the year "
        "before (the same months of it while this year is in progress).",
    )

    def rate(on: Cell, of: Cell) -> dict[str, Cell]:
        return {"on_time": on or 0, "total": of or 0, "pending": 0, "closed": 0}

    rates: list[Row] = []
    for key in KEY_COLUMNS[:7]:
        cells: dict[str, Cell] = {}
        for n, r in zip(names, years, strict=True):
            c = get(r, "on_time_by_quarter", "total", key)
            if isinstance(c, Mapping):
                cells[n] = dict(c)
        if any(isinstance(v, Mapping) and v.get("total") for v in cells.values()):
            rates.append(Row(f"on_time:{key}", f"{column_label(key)} on time", cells))
    for key in ("statutory_1", "corporate_1", "statutory_2", "corporate_2"):
        cells = {}
        for n, r in zip(names, years, strict=True):
            upheld = (get(r, "outcomes_by_stage", "upheld", key) or 0) + (
                get(r, "outcomes_by_stage", "partially_upheld", key) or 0
            )
            cells[n] = rate(upheld, get(r, "outcomes_by_stage", "total", key))
        if any(v["total"] for v in cells.values()):
            rates.append(Row(f"upheld:{key}", f"{column_label(key)} upheld or partly", cells))
    for proc in ("statutory", "corporate"):
        cells = {
            n: rate(
                get(r, "escalation", f"{proc}_2", "progressed"),
                get(r, "escalation", f"{proc}_2", "previous"),
            )
            for n, r in zip(names, years, strict=True)
        }
        if any(v["total"] for v in cells.values()):
            label = f"{proc.capitalize()} 1 went on to 2"
            rates.append(Row(f"progression:{proc}", label, cells))
    cells = {}
    for n, r in zip(names, years, strict=True):
        fault = sum(
            get(r, "lgsco_decisions", k, "count") or 0
            for k in ("fault_injustice", "fault_no_injustice")
        )
        decided = (get(r, "lgsco_decisions", "total", "count") or 0) - (
            get(r, "lgsco_decisions", "awaiting", "count") or 0
        )
        cells[n] = rate(fault, decided)
    if any(v["total"] for v in cells.values()):
        rates.append(Row("lgsco_fault", "Ombudsman found fault", cells))
    key_rates = Table(
        "key_rates",
        "Key percentages",
        tuple(replace(c, kind=ONTIME, in_row_total=False, adds_down=False) for c in columns),
        tuple(rates),
        row_total=None,
        note="On time: of the stages decided (pending beside, as +N). Upheld: of those "
        "concluded. Went on: of the Stage 1 complaints received in the year. Fault: of the "
        "Ombudsman's decisions.",
    )
    return key_figures, key_rates


def finish(
    report: Report,
    previous: Report | None,
    publisher: Mapping[str, str],
    procedures: Collection[str] | None = None,
) -> Report:
    """The report as published: key figures first, the year before attached, empty
    tables left out and named in the notes, the publisher and procedures stated."""
    report = replace(report, previous=previous, publisher=dict(publisher))
    kept = [t for t in report.tables if not is_empty(t)]
    omitted = tuple(t.title for t in report.tables if is_empty(t))
    notes = list(report.notes)
    if previous is not None:
        notes.append(
            f"Figures in brackets, as '74 (188)', are for {year_label(previous.year)}"
            + (
                f" to the same date ({previous.as_at.strftime('%d/%m/%Y')})"
                if report.as_at < report.period_end
                else ""
            )
            + ", counted the same way."
        )
    if omitted:
        notes.append("Left out, having nothing to show this year: " + "; ".join(omitted) + ".")
    title = report.title
    if procedures:
        names = [PROCEDURES.get(p, p) for p in sorted(procedures)]
        notes.append("This report covers only: " + ", ".join(names) + ".")
        title += " (" + ", ".join(names) + ")"
    key_figures, key_rates = _key_tables(report)
    tables = (key_figures, key_rates, *kept)
    return replace(report, title=title, tables=tables, notes=tuple(notes), omitted=omitted)
