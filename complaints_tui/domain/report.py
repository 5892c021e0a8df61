"""The statutory annual report: every table, computed from plain facts.

Pure code: the service layer reads column tuples from the database into the immutable
facts below and calls :func:`build_report` (the tables themselves are computed in
``report_tables``); renderers (text, HTML, JSON) and suppression of small numbers work on
the :class:`Report` it returns. Nothing here knows about SQL or screens.

Definitions (also written into the report's notes, so a reader sees them):

- the year is the financial year, 1 April to 31 March; a stage belongs to the year in which
  it was received;
- the report is "as at" a date: anything recorded as happening after it (a response, a
  closure, a completed action, a stage received) is treated as not having happened yet, so a
  report re-run later for the same as-at date gives the same figures;
- a stage is *answered* when it was responded to or, failing that, closed (withdrawn, or the
  case closed); *on time* means answered on or before its due date (the extended due date
  when an extension was recorded); still open at the as-at date and past its due date is not
  on time; still open and not yet due, or with its clock stopped, is *pending*;
- a refused request for a further stage is not a stage: it is counted only in the escalation
  table; a withdrawn stage is a stage (outcome "withdrawn").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from .vocab import PROCEDURES, STAGED_PROCEDURES

if TYPE_CHECKING:
    from .calendar import WorkingCalendar
    from .policy import Policy
    from .report_letter import Letter

# -- the report's shape ---------------------------------------------------------------------

Cell = Any
"""int or float for a figure; None where a figure does not apply; a dict for on-time cells
({"on_time", "total", "pending", "closed"}: the percentage is of those decided,
total - pending - closed); after suppression, a string such as "<5" or "*"."""

COUNT, ONTIME, MEAN, POUNDS = "count", "ontime", "mean", "pounds"
ONTIME_PARTS = ("on_time", "total", "pending", "closed")

DETAIL, SUBTOTAL, TOTAL, MEMO = "detail", "subtotal", "total", "memo"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT
    """count, ontime (a dict cell), mean (an average) or pounds (money)."""
    in_row_total: bool = True
    """This column's figure is part of the row's ``total`` cell (the row adds up)."""
    adds_down: bool = True
    """The table's total row holds the sum of the detail rows in this column."""

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "kind": self.kind}


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: Mapping[str, Cell]
    kind: str = DETAIL
    """detail rows add up to the total row (and to their group's subtotal row); memo rows
    are "of which" figures that are not part of any total."""
    group: str | None = None
    """The key of the subtotal row this detail row adds up to."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "label": self.label, "kind": self.kind}
        if self.group is not None:
            out["group"] = self.group
        out["cells"] = {
            k: (dict(v) if isinstance(v, Mapping) else v) for k, v in self.cells.items()
        }
        return out


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: str | None = None
    row_total: str | None = "total"
    """The column holding each row's total, when the row adds up (see Column.in_row_total)."""

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    def cell(self, row: str, column: str) -> Cell:
        return self.row(row).cells.get(column)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "note": self.note,
            "columns": [c.to_dict() for c in self.columns],
            "rows": [r.to_dict() for r in self.rows],
        }


@dataclass(frozen=True)
class Report:
    title: str
    year: int
    period_start: date
    period_end: date
    as_at: date
    notes: tuple[str, ...]
    tables: tuple[Table, ...]
    suppressed_below: int | None = None
    basis: str = "received"
    """The counting basis of the outcome tables (see BASES)."""
    publisher: Mapping[str, str] = field(default_factory=dict)
    """Council, directorate, author and contact, from the policy file (empty if unset)."""
    previous: Report | None = None
    """The year before, counted the same way (the same months of it while this year is in
    progress): every main table prints its figures beside this year's."""
    omitted: tuple[str, ...] = ()
    """Titles of the tables left out because they had nothing to say."""

    @property
    def period_label(self) -> str:
        return year_label(self.year)

    def table(self, table_id: str) -> Table:
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: dates as ISO strings."""
        return {
            "title": self.title,
            "year": self.year,
            "period": {
                "label": self.period_label,
                "start": self.period_start.isoformat(),
                "end": self.period_end.isoformat(),
            },
            "as_at": self.as_at.isoformat(),
            "suppressed_below": self.suppressed_below,
            "notes": list(self.notes),
            "tables": [t.to_dict() for t in self.tables],
            "basis": self.basis,
            "publisher": dict(self.publisher),
            "omitted": list(self.omitted),
            "previous": None
            if self.previous is None
            else {
                "year": self.previous.year,
                "period": {
                    "label": self.previous.period_label,
                    "start": self.previous.period_start.isoformat(),
                    "end": self.previous.period_end.isoformat(),
                },
                "as_at": self.previous.as_at.isoformat(),
                "tables": [t.to_dict() for t in self.previous.tables],
            },
        }


# -- the facts it is computed from -----------------------------------------------------------
# Named tuples rather than frozen dataclasses: just as immutable, and a year of a large
# database is tens of thousands of them, which they build several times faster.


class StageFact(NamedTuple):
    """One row of ``stages``, the columns the report needs."""

    id: int
    case_id: int
    procedure: str
    number: int
    received: date
    clock_start: date | None = None
    due: date | None = None
    timescale: int | None = None
    extended_to: int | None = None
    responded: date | None = None
    outcome: str | None = None
    decision: str | None = None
    status: str = "open"
    closed_on: date | None = None
    fixed_due: date | None = None
    panel_date: date | None = None
    panel_report_date: date | None = None
    extension_agreed: date | None = None
    acknowledged: date | None = None
    request_date: date | None = None
    ombudsman_reference: str | None = None


class CaseFact(NamedTuple):
    id: int
    procedure: str
    complainant_type: str | None = None
    advocate_involved: bool = False
    advocate: str | None = None
    channel: str | None = None
    division: str | None = None
    service: str | None = None
    duty_category: str | None = None
    repeat_complainant: bool = False
    reopened_count: int = 0
    child_statuses: str = ""
    reference: str = ""


class ThemeFact(NamedTuple):
    case_id: int
    theme: str
    theme_key: str


class SuspensionFact(NamedTuple):
    stage_id: int
    start: date
    end: date | None = None


class RemedyFact(NamedTuple):
    stage_id: int
    kind: str
    amount_pence: int | None = None


class LearningFact(NamedTuple):
    stage_id: int
    status: str
    due: date | None = None
    completed_on: date | None = None
    text: str = ""
    owner: str | None = None


class ReceivedCount(NamedTuple):
    """How many stages of a kind were received on a day (refused requests left out):
    enough for the earlier years of ``received_by_year`` without loading their stages."""

    procedure: str
    number: int
    received: date
    stages: int


@dataclass(frozen=True)
class ReportFacts:
    """Everything the report is computed from.

    ``stages`` may hold more than the year (the service adds those open at its start and
    later stages of its cases): every table filters by date itself. ``history`` gives the
    earlier years of ``received_by_year``; when it is None those years are counted from
    ``stages``.
    """

    stages: Sequence[StageFact] = ()
    cases: Sequence[CaseFact] = ()
    themes: Sequence[ThemeFact] = ()
    suspensions: Sequence[SuspensionFact] = ()
    remedies: Sequence[RemedyFact] = ()
    learning: Sequence[LearningFact] = ()
    history: Sequence[ReceivedCount] | None = None


# -- column keys -------------------------------------------------------------------------------

STAGE_COLUMNS: tuple[str, ...] = (
    "statutory_1",
    "statutory_2",
    "statutory_3",
    "corporate_1",
    "corporate_2",
    "corporate_3",
    "lgsco",
    "mp",
    "councillor",
    "mayor",
    "chief_executive",
    "general",
    "foi",
    "compliment",
    "duty",
)
"""Every procedure/stage column, in the order the reports list them."""

COMPLAINT_COLUMNS = STAGE_COLUMNS[:6]
NO_DEADLINE = frozenset({"compliment", "duty"})
"""Left out of timeliness: a compliment needs no response, and a duty contact's two days
are the team's own triage target, not a response to anyone."""

_SHORT = {
    "lgsco": "Ombudsman",
    "mp": "MP",
    "councillor": "Councillor",
    "mayor": "Mayor",
    "chief_executive": "Chief Executive",
    "general": "General enquiry",
    "foi": "FOI",
    "compliment": "Compliments",
    "duty": "Duty",
}

RECEIVED, CONCLUDED = "received", "concluded"
BASES = (RECEIVED, CONCLUDED)
"""Counting bases: outcomes and timeliness over the stages received in the year (the
default), or over those concluded in it, carried in included (as many councils count)."""

UPHELD = frozenset({"upheld", "partially_upheld"})
NOT_RECORDED = "not_recorded"


def column_key(procedure: str, number: int | None) -> str:
    """'statutory_2', 'mp': the report's column for a stage."""
    if procedure in STAGED_PROCEDURES:
        return f"{procedure}_{number or 1}"
    return procedure


def column_label(key: str) -> str:
    if key == "total":
        return "Total"
    procedure, _, number = key.rpartition("_")
    if procedure in STAGED_PROCEDURES:
        return f"{procedure.capitalize()} {number}"
    return _SHORT.get(key, PROCEDURES.get(key, key))


def year_label(year: int) -> str:
    """2023 -> '2023-24'."""
    return f"{year}-{(year + 1) % 100:02d}"


def period_of(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def financial_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def quarter_of(day: date) -> str:
    """Q1 is April to June."""
    return f"Q{((day.month - 4) % 12) // 3 + 1}"


def month_keys(year: int) -> list[str]:
    return [f"{year + (m < 4)}-{m:02d}" for m in (*range(4, 13), 1, 2, 3)]


QUARTER_LABELS = {"Q1": "Q1 Apr-Jun", "Q2": "Q2 Jul-Sep", "Q3": "Q3 Oct-Dec", "Q4": "Q4 Jan-Mar"}
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def month_label(key: str) -> str:
    """'2023-04' -> 'Apr 2023'."""
    y, m = key.split("-")
    return f"{_MONTHS[int(m) - 1]} {y}"


def build_report(
    facts: ReportFacts,
    *,
    year: int,
    as_at: date,
    policy: Policy,
    calendar: WorkingCalendar,
    basis: str = RECEIVED,
    letter: Letter | None = None,
) -> Report:
    """Every table of the annual report for the financial year starting 1 April ``year``,
    its outcome tables counted on ``basis`` (see BASES); with the Ombudsman's annual
    ``letter`` reconciled when one is given."""
    if basis not in BASES:
        raise ValueError(f"basis {basis!r} is not one of {', '.join(BASES)}")
    # The tables live in their own module, which imports this one's model.
    from .report_tables import build

    return build(facts, year, as_at, policy, calendar, basis, letter)


def with_tables(report: Report, tables: Sequence[Table], **changes: Any) -> Report:
    """A copy of the report with other tables (used by suppression)."""
    return replace(report, tables=tuple(tables), **changes)
