"""The statutory annual report: every table, computed from plain facts.

Pure code: the service layer reads column tuples from the database into the frozen facts
below and calls :func:`build_report`; renderers (text, HTML, JSON) and suppression of small
numbers work on the :class:`Report` it returns. Nothing here knows about SQL or screens.

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

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, NamedTuple

from .calendar import WorkingCalendar
from .clocks import ClockInput, fmt, stage_deadline
from .policy import Policy
from .vocab import (
    LEARNING_STATUSES,
    LGSCO_OUTCOMES,
    PROCEDURES,
    STAGED_PROCEDURES,
)

# -- the report's shape ---------------------------------------------------------------------

Cell = Any
"""int or float for a figure; None where a figure does not apply; a dict for on-time cells
({"on_time", "total", "pending"}); after suppression, a string such as "<5" or "*"."""

COUNT, ONTIME, MEAN, POUNDS = "count", "ontime", "mean", "pounds"
ONTIME_PARTS = ("on_time", "total", "pending")

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


class ReceivedCount(NamedTuple):
    """How many stages of a kind were received on a day (refused requests left out):
    enough for the earlier years of ``received_by_year`` without loading their stages."""

    procedure: str
    number: int
    received: date
    count: int


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


def _month_label(key: str) -> str:
    y, m = key.split("-")
    return f"{_MONTHS[int(m) - 1]} {y}"


# -- what each stage looked like at the as-at date --------------------------------------------


class _Stage(NamedTuple):
    fact: StageFact
    case: CaseFact | None
    col: str
    answered: date | None
    """Responded or closed, on or before the as-at date."""
    responded: date | None
    outcome: str | None
    due: date | None
    state: str | None
    """on_time, late or pending; None for a stage without a response timescale."""
    days: int | None
    """Working days from clock start to response, less suspended days."""
    concluded: bool


class _Days:
    """Working days between two dates, cached per date: a year's responses fall on a few
    hundred distinct days, so most of the calendar's work is done once."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self.epoch = date(2000, 1, 1)
        self.index: dict[date, int] = {}

    def _at(self, day: date) -> int:
        n = self.index.get(day)
        if n is None:
            n = self.index[day] = self.calendar.working_days_between(self.epoch, day)
        return n

    def between(self, start: date, end: date, spans: Sequence[tuple[date, date]]) -> int:
        if spans:
            return self.calendar.working_days_between(start, end, spans)
        return self._at(end) - self._at(start)


def _as_at(
    fact: StageFact,
    case: CaseFact | None,
    spans: Sequence[tuple[date, date | None]],
    as_at: date,
    policy: Policy,
    calendar: WorkingCalendar,
    days_between: _Days,
) -> _Stage:
    col = column_key(fact.procedure, fact.number)
    responded = fact.responded if fact.responded and fact.responded <= as_at else None
    closed = fact.closed_on if fact.closed_on and fact.closed_on <= as_at else None
    answered = responded or closed
    # A stage closed with no date recorded at all still counts as concluded (undated).
    undated = (
        fact.responded is None
        and fact.closed_on is None
        and fact.status not in ("open", "suspended")
    )
    concluded = answered is not None or undated
    outcome = fact.outcome if concluded else None
    start = fact.clock_start or fact.received

    if col in NO_DEADLINE:
        return _Stage(fact, case, col, answered, responded, outcome, None, None, None, concluded)

    # Clock stops as they stood at the as-at date: one begun later is left out, and one
    # still running then stays open (or, for an answered stage, ends at the answer).
    known: list[tuple[date, date | None]] = []
    if spans:
        limit = answered or as_at
        for a, b in spans:
            if a > limit:
                continue
            if b is None or b > as_at:
                b = answered
            known.append((a, b))
    stopped_at_as_at = answered is None and any(b is None for _, b in known)
    due = fact.due
    if not stopped_at_as_at and (due is None or known != list(spans)):
        # The stored due date is today's (or was wiped on withdrawal): recompute it as it
        # stood, with the policy, so a withdrawn stage is judged against the date it had.
        clock = ClockInput(
            procedure=fact.procedure,
            number=fact.number,
            clock_start=start,
            extended_to=fact.extended_to,
            fixed_due=fact.fixed_due,
            suspensions=tuple(known),
            panel_date=fact.panel_date,
            panel_report_date=fact.panel_report_date,
        )
        due = stage_deadline(clock, policy, calendar, explain=False).due

    if answered is not None:
        state = "on_time" if due is None or answered <= due else "late"
    elif undated:
        state = "late"  # concluded, but nobody can show it was in time
    elif stopped_at_as_at or due is None or as_at <= due:
        state = "pending"
    else:
        state = "late"

    days = None
    if responded is not None:
        # Stops are clipped to the response: one never closed counts up to the response.
        closed_spans = [
            (a, min(b, responded) if b else responded) for a, b in spans if a <= responded
        ]
        days = days_between.between(start, responded, closed_spans)
    return _Stage(fact, case, col, answered, responded, outcome, due, state, days, concluded)


# -- building tables ---------------------------------------------------------------------------


def _present(keys: Iterable[str], order: Sequence[str] = STAGE_COLUMNS) -> list[str]:
    seen = set(keys)
    return [k for k in order if k in seen]


def _count_columns(
    keys: Sequence[str], *, total: bool = True, in_total: bool = True
) -> list[Column]:
    cols = [Column(k, column_label(k), in_row_total=in_total) for k in keys]
    if total:
        cols.append(Column("total", "Total", in_row_total=False))
    return cols


def _counts_row(
    key: str,
    label: str,
    counts: Mapping[str, int],
    keys: Sequence[str],
    total: int | None = None,
    kind: str = DETAIL,
    group: str | None = None,
) -> Row:
    cells: dict[str, Cell] = {k: counts.get(k, 0) for k in keys}
    cells["total"] = sum(cells.values()) if total is None else total
    return Row(key, label, cells, kind, group)


def _ordered(keys: Iterable[str], vocabulary: Mapping[str, str]) -> list[str]:
    """Vocabulary keys in the vocabulary's order, then unknown keys alphabetically."""
    keys = set(keys)
    known = [k for k in vocabulary if k in keys]
    return known + sorted(keys - set(known))


def _name_key(value: str | None) -> str:
    return value if value else NOT_RECORDED


def _name_label(value: str | None) -> str:
    return value if value else "Not recorded"


@dataclass
class _Builder:
    facts: ReportFacts
    year: int
    as_at: date
    policy: Policy
    calendar: WorkingCalendar
    start: date = field(init=False)
    end: date = field(init=False)
    cutoff: date = field(init=False)

    def __post_init__(self) -> None:
        self.start, self.end = period_of(self.year)
        self.cutoff = min(self.end, self.as_at)
        self.cases = {c.id: c for c in self.facts.cases}
        spans: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
        for s in self.facts.suspensions:
            spans[s.stage_id].append((s.start, s.end))
        self.all: list[_Stage] = []
        days = _Days(self.calendar)
        for f in self.facts.stages:
            if f.received > self.as_at:
                continue
            self.all.append(
                _as_at(
                    f,
                    self.cases.get(f.case_id),
                    spans.get(f.id, ()),
                    self.as_at,
                    self.policy,
                    self.calendar,
                    days,
                )
            )
        # refused requests are not stages; the escalation table reads them from self.all
        self.stages = [
            s
            for s in self.all
            if self.start <= s.fact.received <= self.cutoff and s.fact.decision != "refused"
        ]
        self.present = _present(s.col for s in self.stages)
        self.vocab = self.policy.vocabularies

    def label(self, vocabulary: str, key: str) -> str:
        if key == NOT_RECORDED:
            return "Not recorded"
        return self.vocab.label(vocabulary, key)

    # -- received ----------------------------------------------------------------------------

    def received_by_year(self) -> Table:
        counts: dict[int, Counter[str]] = defaultdict(Counter)
        counts[self.year].update(s.col for s in self.stages)
        if self.facts.history is not None:
            for h in self.facts.history:
                fy = financial_year(h.received)
                if self.year - 2 <= fy < self.year:
                    counts[fy][column_key(h.procedure, h.number)] += h.count
        else:
            for s in self.all:
                fy = financial_year(s.fact.received)
                if self.year - 2 <= fy < self.year and s.fact.decision != "refused":
                    counts[fy][s.col] += 1
        years = [y for y in (self.year - 2, self.year - 1) if sum(counts[y].values())]
        years.append(self.year)
        keys = _present(k for y in years for k in counts[y])
        rows = [_counts_row(year_label(y), year_label(y), counts[y], keys) for y in years]
        return Table(
            "received_by_year",
            "Received, this year and the two before",
            tuple(_count_columns(keys)),
            tuple(rows),
            note="Years are financial years (April to March); earlier years are shown when "
            "they hold data. The % change is on the previous year.",
        )

    def _received_by(
        self,
        table_id: str,
        title: str,
        keyf: Any,
        row_keys: Sequence[str],
        labels: Mapping[str, str],
    ) -> Table:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for s in self.stages:
            counts[keyf(s.fact.received)][s.col] += 1
        keys = self.present
        rows = [_counts_row(k, labels[k], counts[k], keys) for k in row_keys]
        total = Counter(s.col for s in self.stages)
        rows.append(_counts_row("total", "Total", total, keys, kind=TOTAL))
        return Table(table_id, title, tuple(_count_columns(keys)), tuple(rows))

    def received_by_quarter(self) -> Table:
        return self._received_by(
            "received_by_quarter",
            "Received by quarter",
            quarter_of,
            list(QUARTER_LABELS),
            QUARTER_LABELS,
        )

    def received_by_month(self) -> Table:
        months = month_keys(self.year)
        return self._received_by(
            "received_by_month",
            "Received by month",
            lambda d: f"{d.year}-{d.month:02d}",
            months,
            {m: _month_label(m) for m in months},
        )

    # -- timeliness --------------------------------------------------------------------------

    def _timed(self) -> list[_Stage]:
        return [s for s in self.stages if s.col not in NO_DEADLINE]

    def _on_time_table(
        self, table_id: str, title: str, groups: Sequence[tuple[str, str]], keyf: Any, note: str
    ) -> Table:
        timed = self._timed()
        keys = _present(s.col for s in timed)
        cells: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: {"on_time": 0, "total": 0, "pending": 0})
        )
        for s in timed:
            for row in (keyf(s), "total"):
                for col in (s.col, "total"):
                    cell = cells[row][col]
                    cell["total"] += 1
                    cell["on_time"] += s.state == "on_time"
                    cell["pending"] += s.state == "pending"
        columns = [Column(k, column_label(k), ONTIME) for k in keys]
        columns.append(Column("total", "Total", ONTIME, in_row_total=False))

        def row(key: str, label: str, kind: str = DETAIL) -> Row:
            return Row(
                key,
                label,
                {c.key: dict(cells[key][c.key]) for c in columns},
                kind,
            )

        rows = [row(k, label) for k, label in groups]
        rows.append(row("total", "Total", TOTAL))
        return Table(table_id, title, tuple(columns), tuple(rows), note=note)

    def on_time_by_quarter(self) -> Table:
        return self._on_time_table(
            "on_time_by_quarter",
            "Answered on time, by quarter received",
            list(QUARTER_LABELS.items()),
            lambda s: quarter_of(s.fact.received),
            "Each cell: answered on time / every stage received; pending stages are still "
            "open and not yet due. Compliments and duty contacts have no response timescale.",
        )

    def on_time_by_division(self) -> Table:
        divisions = sorted(
            {_name_key(s.case.division if s.case else None) for s in self._timed()},
            key=lambda k: (k == NOT_RECORDED, k.casefold()),
        )
        return self._on_time_table(
            "on_time_by_division",
            "Answered on time, by division",
            [(d, "Not recorded" if d == NOT_RECORDED else d) for d in divisions],
            lambda s: _name_key(s.case.division if s.case else None),
            "Each cell: answered on time / every stage received; pending stages are still "
            "open and not yet due.",
        )

    def timeliness_bands(self) -> Table:
        timed = self._timed()
        keys = _present(s.col for s in timed)
        columns = [
            Column("within_10", "Within 10"),
            Column("within_20", "11-20"),
            Column("within_40", "21-40"),
            Column("after_40", "Over 40"),
            Column("closed", "Closed"),
            Column("open", "Open"),
            Column("total", "Total", in_row_total=False),
            Column("average_days", "Average days", MEAN, in_row_total=False, adds_down=False),
            Column("extended", "Extended", in_row_total=False),
            Column("within_extended", "Within extension", in_row_total=False),
        ]

        def row(key: str, label: str, group: list[_Stage], kind: str = DETAIL) -> Row:
            c: dict[str, Cell] = {col.key: 0 for col in columns}
            days = []
            for s in group:
                c["total"] += 1
                if s.days is not None:
                    days.append(s.days)
                    band = (
                        "within_10"
                        if s.days <= 10
                        else "within_20"
                        if s.days <= 20
                        else "within_40"
                        if s.days <= 40
                        else "after_40"
                    )
                    c[band] += 1
                elif s.concluded:
                    c["closed"] += 1
                else:
                    c["open"] += 1
                if s.fact.extended_to is not None:
                    c["extended"] += 1
                    c["within_extended"] += s.state == "on_time" and s.answered is not None
            c["average_days"] = round(sum(days) / len(days), 1) if days else None
            return Row(key, label, c, kind)

        by_col: dict[str, list[_Stage]] = defaultdict(list)
        for s in timed:
            by_col[s.col].append(s)
        rows = [row(k, column_label(k), by_col[k]) for k in keys]
        rows.append(row("total", "Total", timed, TOTAL))
        return Table(
            "timeliness_bands",
            "Working days to respond",
            tuple(columns),
            tuple(rows),
            note="Working days from the clock start to the response, not counting days while "
            "the clock was stopped. Bands do not overlap (11-20 means 11 to 20 working days). "
            "Closed: withdrawn, or closed without a response. Open: still open at the as-at "
            "date. Average: of the stages responded to. 'Within extension': extended and "
            "answered by the extended date.",
        )

    # -- outcomes and escalation -------------------------------------------------------------

    def outcomes_by_stage(self) -> Table:
        relevant = [s for s in self.stages if s.col in COMPLAINT_COLUMNS or s.col == "lgsco"]
        concluded = [s for s in relevant if s.concluded]
        keys = _present(s.col for s in relevant)
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for s in concluded:
            counts[s.outcome or NOT_RECORDED][s.col] += 1
        outcomes = _ordered((k for k in counts if k != NOT_RECORDED), self.vocab.tables["outcome"])
        if NOT_RECORDED in counts:
            outcomes.append(NOT_RECORDED)
        rows = [_counts_row(o, self.label("outcome", o), counts[o], keys) for o in outcomes]
        rows.append(
            _counts_row("total", "Concluded", Counter(s.col for s in concluded), keys, kind=TOTAL)
        )
        open_count = Counter(s.col for s in relevant if not s.concluded)
        rows.append(_counts_row("open", "Not yet concluded", open_count, keys, kind=MEMO))
        return Table(
            "outcomes_by_stage",
            "Outcomes by stage",
            tuple(_count_columns(keys)),
            tuple(rows),
            note="Stages received in the year and concluded by the as-at date; the "
            "Ombudsman's column holds its decisions. Percentages are of those concluded.",
        )

    def escalation(self) -> Table:
        in_year = [s for s in self.all if self.start <= s.fact.received <= self.cutoff]
        # stages of each case, as at the as-at date, to see who went on to the next stage
        went_on: set[tuple[int, str, int]] = set()
        for s in self.all:
            if (
                s.fact.procedure in STAGED_PROCEDURES
                and s.fact.number > 1
                and s.fact.decision != "refused"
            ):
                went_on.add((s.fact.case_id, s.fact.procedure, s.fact.number))
        rows = []
        for procedure in ("statutory", "corporate"):
            for number in (2, 3):
                prev = [
                    s
                    for s in in_year
                    if s.fact.procedure == procedure
                    and s.fact.number == number - 1
                    and s.fact.decision != "refused"
                ]
                reqs = [
                    s for s in in_year if s.fact.procedure == procedure and s.fact.number == number
                ]
                decided = Counter(s.fact.decision or "accepted" for s in reqs)
                cells: dict[str, Cell] = {
                    "previous": len(prev),
                    "progressed": sum((s.fact.case_id, procedure, number) in went_on for s in prev),
                    "accepted": decided["accepted"],
                    "refused": decided["refused"],
                    "withdrawn": decided["withdrawn"],
                    "requests": len(reqs),
                }
                if any(cells.values()):
                    key = f"{procedure}_{number}"
                    rows.append(
                        Row(key, f"{procedure.capitalize()} {number - 1} to {number}", cells)
                    )
        columns = (
            Column("previous", "Previous stage received", in_row_total=False, adds_down=False),
            Column("progressed", "Went on to next stage", in_row_total=False, adds_down=False),
            Column("accepted", "Requests accepted", adds_down=False),
            Column("refused", "Refused", adds_down=False),
            Column("withdrawn", "Withdrawn", adds_down=False),
            Column("requests", "Requests received", in_row_total=False, adds_down=False),
        )
        return Table(
            "escalation",
            "Escalation to Stages 2 and 3",
            columns,
            tuple(rows),
            row_total="requests",
            note="'Went on': of the previous stage received in the year, how many had a "
            "further stage accepted by the as-at date (whenever it was asked for). Requests: "
            "received in the year; 'withdrawn' includes stages withdrawn after acceptance.",
        )

    # -- who, what and where -----------------------------------------------------------------

    def by_service(self) -> Table:
        ones = [s for s in self.stages if s.col in ("statutory_1", "corporate_1")]
        keys = _present(s.col for s in ones)
        by_div: dict[str, dict[str, list[_Stage]]] = defaultdict(lambda: defaultdict(list))
        for s in ones:
            div = s.case.division if s.case else None
            svc = s.case.service if s.case else None
            by_div[_name_key(div)][_name_key(svc)].append(s)

        def cells(group: list[_Stage]) -> dict[str, Cell]:
            c: dict[str, Cell] = {k: 0 for k in keys}
            for s in group:
                c[s.col] += 1
            c["total"] = len(group)
            c["upheld"] = sum(s.outcome in UPHELD for s in group)
            return c

        rows = []
        used: set[str] = set()
        for div in sorted(by_div, key=lambda k: (k == NOT_RECORDED, k.casefold())):
            services = by_div[div]
            div_key = f"division:{div}"
            label = "Division not recorded" if div == NOT_RECORDED else div
            rows.append(
                Row(div_key, label, cells([s for g in services.values() for s in g]), SUBTOTAL)
            )
            for svc in sorted(services, key=lambda k: (k == NOT_RECORDED, k.casefold())):
                key = svc if svc not in used and svc != NOT_RECORDED else f"{svc} ({div})"
                used.add(key)
                rows.append(
                    Row(
                        key,
                        _name_label(None if svc == NOT_RECORDED else svc),
                        cells(services[svc]),
                        DETAIL,
                        div_key,
                    )
                )
        rows.append(Row("total", "Total", cells(ones), TOTAL))
        columns = [Column(k, column_label(k)) for k in keys]
        columns.append(Column("total", "Received", in_row_total=False))
        columns.append(Column("upheld", "Upheld or partly", in_row_total=False))
        return Table(
            "by_service",
            "Stage 1 complaints by division and service",
            tuple(columns),
            tuple(rows),
            note="Stage 1 complaints received in the year. Upheld: upheld or partially upheld "
            "by the as-at date; % upheld is of those received.",
        )

    def _case_table(
        self, table_id: str, title: str, keyf: Any, vocabulary: str | None, note: str
    ) -> Table:
        """Rows of a case attribute; a stage counts in its column, a case once in Total."""
        relevant = [s for s in self.stages if s.col in COMPLAINT_COLUMNS or s.col == "lgsco"]
        keys = _present(s.col for s in relevant)
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        cases: dict[str, set[int]] = defaultdict(set)
        for s in relevant:
            k = keyf(s)
            counts[k][s.col] += 1
            cases[k].add(s.fact.case_id)
        order = _ordered(
            (k for k in counts if k != NOT_RECORDED), self.vocab.tables.get(vocabulary or "", {})
        )
        if NOT_RECORDED in counts:
            order.append(NOT_RECORDED)
        rows = [
            _counts_row(
                k,
                self.label(vocabulary, k) if vocabulary else _name_label(k),
                counts[k],
                keys,
                total=len(cases[k]),
            )
            for k in order
        ]
        rows.append(
            _counts_row(
                "total",
                "Total",
                Counter(s.col for s in relevant),
                keys,
                total=len({s.fact.case_id for s in relevant}),
                kind=TOTAL,
            )
        )
        return Table(
            table_id, title, tuple(_count_columns(keys, in_total=False)), tuple(rows), note=note
        )

    _CASE_NOTE = (
        "Each stage received in the year counts in its column; Total counts each case once, "
        "however many of its stages fell in the year."
    )

    def complainant_types(self) -> Table:
        return self._case_table(
            "complainant_types",
            "Who complained",
            lambda s: (s.case.complainant_type if s.case else None) or NOT_RECORDED,
            "complainant",
            self._CASE_NOTE,
        )

    def channels(self) -> Table:
        return self._case_table(
            "channels",
            "How complaints were made",
            lambda s: (s.case.channel if s.case else None) or NOT_RECORDED,
            "channel",
            self._CASE_NOTE,
        )

    def advocacy(self) -> Table:
        relevant = [s for s in self.stages if s.col in COMPLAINT_COLUMNS or s.col == "lgsco"]
        keys = _present(s.col for s in relevant)

        def has_advocate(s: _Stage) -> bool:
            return bool(
                s.case
                and (
                    s.case.advocate_involved
                    or s.case.advocate
                    or s.case.complainant_type == "advocate"
                )
            )

        def row(
            key: str, label: str, group: list[_Stage], kind: str = DETAIL, grp: str | None = None
        ) -> Row:
            return _counts_row(
                key,
                label,
                Counter(s.col for s in group),
                keys,
                total=len({s.fact.case_id for s in group}),
                kind=kind,
                group=grp,
            )

        with_adv = [s for s in relevant if has_advocate(s)]
        by_name: dict[str, list[_Stage]] = defaultdict(list)
        labels: dict[str, Counter[str]] = defaultdict(Counter)
        for s in with_adv:
            name = " ".join((s.case.advocate or "").split()) if s.case else ""
            by_name[name.casefold()].append(s)
            labels[name.casefold()][name] += 1
        rows = [row("with_advocate", "With an advocate", with_adv, SUBTOTAL)]
        for k in sorted(by_name, key=lambda k: (k == "", k)):
            label = "Advocate not named" if k == "" else labels[k].most_common(1)[0][0]
            rows.append(
                row(f"advocate:{k or NOT_RECORDED}", label, by_name[k], DETAIL, "with_advocate")
            )
        rows.append(
            row(
                "without_advocate",
                "Without an advocate",
                [s for s in relevant if not has_advocate(s)],
            )
        )
        young = [s for s in relevant if s.case and s.case.complainant_type == "young_person"]
        rows.append(
            row(
                "young_person_with",
                "Young people with an advocate",
                [s for s in young if has_advocate(s)],
                MEMO,
            )
        )
        rows.append(
            row(
                "young_person_without",
                "Young people without an advocate",
                [s for s in young if not has_advocate(s)],
                MEMO,
            )
        )
        rows.append(row("total", "Total", relevant, TOTAL))
        return Table(
            "advocacy",
            "Advocacy",
            tuple(_count_columns(keys, in_total=False)),
            tuple(rows),
            note=self._CASE_NOTE
            + " With an advocate: an advocate was involved or made the complaint.",
        )

    def _themes(
        self, table_id: str, title: str, stages: list[_Stage], keys: Sequence[str], note: str
    ) -> Table:
        themes: dict[int, set[str]] = defaultdict(set)
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        for t in self.facts.themes:
            themes[t.case_id].add(t.theme_key)
            spellings[t.theme_key][t.theme.strip()] += 1
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        cases: dict[str, set[int]] = defaultdict(set)
        for s in stages:
            for k in themes.get(s.fact.case_id, ()):
                counts[k][s.col] += 1
                cases[k].add(s.fact.case_id)

        def label(k: str) -> str:
            best = spellings[k].most_common()
            top = best[0][1]
            return min(name for name, n in best if n == top)

        order = sorted(counts, key=lambda k: (-len(cases[k]), label(k).casefold()))
        rows = [_counts_row(k, label(k), counts[k], keys, total=len(cases[k])) for k in order]
        rows.append(
            _counts_row(
                "total",
                "Complaints",
                Counter(s.col for s in stages),
                keys,
                total=len({s.fact.case_id for s in stages}),
                kind=TOTAL,
            )
        )
        columns = [Column(k, column_label(k), in_row_total=False, adds_down=False) for k in keys]
        columns.append(Column("total", "Total", in_row_total=False, adds_down=False))
        return Table(table_id, title, tuple(columns), tuple(rows), note=note)

    def themes(self) -> Table:
        relevant = [s for s in self.stages if s.col in COMPLAINT_COLUMNS or s.col == "lgsco"]
        return self._themes(
            "themes",
            "Themes of complaints",
            relevant,
            _present(s.col for s in relevant),
            self._CASE_NOTE + " A complaint may raise several themes, so rows add up to "
            "more than the total; % is of complaints.",
        )

    def themes_upheld(self) -> Table:
        relevant = [s for s in self.stages if s.col in COMPLAINT_COLUMNS or s.col == "lgsco"]
        upheld = [s for s in relevant if s.outcome in UPHELD]
        return self._themes(
            "themes_upheld",
            "Themes of upheld complaints",
            upheld,
            _present(s.col for s in upheld),
            "Stages upheld or partially upheld by the as-at date. A complaint may raise "
            "several themes; % is of upheld complaints.",
        )

    # -- remedies, the Ombudsman, compliments, duty -----------------------------------------

    def remedies(self) -> Table:
        by_id = {s.fact.id: s for s in self.stages}
        kinds: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        pence: dict[str, int] = {}
        any_remedy: dict[str, set[int]] = defaultdict(set)
        for r in self.facts.remedies:
            s = by_id.get(r.stage_id)
            if s is None or not s.concluded:
                continue
            kinds[r.kind][s.col].add(s.fact.id)
            any_remedy[s.col].add(s.fact.id)
            if r.amount_pence is not None:
                pence[r.kind] = pence.get(r.kind, 0) + r.amount_pence
        keys = _present(c for k in kinds.values() for c in k)
        rows = []
        for kind in _ordered(kinds, self.vocab.tables["remedy"]):
            cells: dict[str, Cell] = {k: len(kinds[kind][k]) for k in keys}
            cells["total"] = sum(cells.values())
            # no amount at all (an apology) is blank, not £0.00
            cells["amount"] = pence[kind] / 100 if kind in pence else None
            rows.append(Row(kind, self.label("remedy", kind), cells))
        cells = {k: len(any_remedy[k]) for k in keys}
        cells["total"] = sum(cells.values())
        cells["amount"] = sum(pence.values()) / 100 if pence else None
        rows.append(Row("total", "Stages with a remedy", cells, TOTAL))
        columns = [Column(k, column_label(k), adds_down=False) for k in keys]
        columns.append(Column("total", "Total", in_row_total=False, adds_down=False))
        columns.append(Column("amount", "Payments £", POUNDS, in_row_total=False))
        return Table(
            "remedies",
            "Remedies",
            tuple(columns),
            tuple(rows),
            note="Stages received in the year and concluded by the as-at date with each kind "
            "of remedy (a stage with two remedies counts in both rows, once in the last). "
            "Payments are the total in pounds.",
        )

    def lgsco_decisions(self) -> Table:
        ombudsman = [s for s in self.stages if s.col == "lgsco"]
        pence: dict[str, int] = {}
        by_id = {s.fact.id: s for s in ombudsman}
        for r in self.facts.remedies:
            s = by_id.get(r.stage_id)
            if s is not None and r.kind == "payment" and s.outcome and r.amount_pence:
                pence[s.outcome] = pence.get(s.outcome, 0) + r.amount_pence
        counts = Counter(s.outcome or "awaiting" for s in ombudsman)
        order = [k for k in self.vocab.tables["outcome"] if k in LGSCO_OUTCOMES and k in counts]
        order += sorted(set(counts) - set(order) - {"awaiting"})
        if "awaiting" in counts:
            order.append("awaiting")
        rows = [
            Row(
                k,
                "Awaiting decision" if k == "awaiting" else self.label("outcome", k),
                {"count": counts[k], "payments": pence[k] / 100 if k in pence else None},
            )
            for k in order
        ]
        rows.append(
            Row(
                "total",
                "Total",
                {
                    "count": len(ombudsman),
                    "payments": sum(pence.values()) / 100 if pence else None,
                },
                TOTAL,
            )
        )
        return Table(
            "lgsco_decisions",
            "Ombudsman enquiries and decisions",
            (Column("count", "Enquiries"), Column("payments", "Payments £", POUNDS)),
            tuple(rows),
            row_total=None,
            note="Ombudsman enquiries received in the year, by the decision recorded by the "
            "as-at date; payments are those the council made on them.",
        )

    def _by_name(self, table_id: str, title: str, stages: list[_Stage], note: str) -> Table:
        counts = Counter(_name_key(s.case.service if s.case else None) for s in stages)
        order = sorted(counts, key=lambda k: (k == NOT_RECORDED, k.casefold()))
        rows = [
            Row(k, _name_label(None if k == NOT_RECORDED else k), {"count": counts[k]})
            for k in order
        ]
        rows.append(Row("total", "Total", {"count": len(stages)}, TOTAL))
        return Table(
            table_id, title, (Column("count", "Number"),), tuple(rows), row_total=None, note=note
        )

    def compliments_by_service(self) -> Table:
        return self._by_name(
            "compliments_by_service",
            "Compliments by service",
            [s for s in self.stages if s.col == "compliment"],
            "Compliments received in the year.",
        )

    def _duty(self) -> list[_Stage]:
        return [s for s in self.stages if s.col == "duty"]

    def _duty_key(self, s: _Stage) -> str:
        return (s.case.duty_category if s.case else None) or "untriaged"

    def duty_by_category(self) -> Table:
        duty = self._duty()
        counts = Counter(self._duty_key(s) for s in duty)
        order = _ordered(
            (k for k in counts if k != "untriaged"), self.vocab.tables["duty_category"]
        )
        if "untriaged" in counts:
            order.append("untriaged")
        rows = [
            Row(
                k,
                "Not yet triaged" if k == "untriaged" else self.label("duty_category", k),
                {"count": counts[k]},
            )
            for k in order
        ]
        rows.append(Row("total", "Total", {"count": len(duty)}, TOTAL))
        return Table(
            "duty_by_category",
            "Duty matters by category",
            (Column("count", "Number"),),
            tuple(rows),
            row_total=None,
            note="Contacts handled on duty, received in the year, that did not enter a procedure.",
        )

    def duty_by_service(self) -> Table:
        duty = self._duty()
        cats = Counter(self._duty_key(s) for s in duty)
        keys = _ordered((k for k in cats if k != "untriaged"), self.vocab.tables["duty_category"])
        if "untriaged" in cats:
            keys.append("untriaged")
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for s in duty:
            counts[_name_key(s.case.service if s.case else None)][self._duty_key(s)] += 1
        order = sorted(counts, key=lambda k: (k == NOT_RECORDED, k.casefold()))
        rows = [
            _counts_row(k, _name_label(None if k == NOT_RECORDED else k), counts[k], keys)
            for k in order
        ]
        rows.append(_counts_row("total", "Total", cats, keys, kind=TOTAL))
        columns = [
            Column(k, "Not yet triaged" if k == "untriaged" else self.label("duty_category", k))
            for k in keys
        ]
        columns.append(Column("total", "Total", in_row_total=False))
        return Table(
            "duty_by_service",
            "Duty matters by service",
            tuple(columns),
            tuple(rows),
            note="Pending further information is shown as its own column, since the service "
            "may not be certain until the information arrives.",
        )

    # -- open work, repeats, learning --------------------------------------------------------

    def carried_forward(self) -> Table:
        day_before = date.fromordinal(self.start.toordinal() - 1)

        def open_on(s: _Stage, day: date) -> bool:
            if s.fact.received > day or s.col == "compliment" or s.fact.decision == "refused":
                return False
            if s.answered is not None:
                return s.answered > day
            return not s.concluded

        at_start = [s for s in self.all if open_on(s, day_before)]
        at_end = [s for s in self.all if open_on(s, self.cutoff)]
        keys = _present([s.col for s in at_start] + [s.col for s in at_end])
        counts = {
            "open_at_start": Counter(s.col for s in at_start),
            "closed_in_year": Counter(s.col for s in at_start if not open_on(s, self.cutoff)),
            "open_at_end": Counter(s.col for s in at_end),
        }
        rows = []
        for k in keys:
            rows.append(Row(k, column_label(k), {c: counts[c][k] for c in counts}))
        rows.append(Row("total", "Total", {c: sum(v.values()) for c, v in counts.items()}, TOTAL))
        end_label = fmt(self.cutoff)
        return Table(
            "carried_forward",
            "Carried forward and still open",
            (
                Column("open_at_start", f"Open on {fmt(self.start)}"),
                Column("closed_in_year", "Of which closed in the year"),
                Column("open_at_end", f"Open on {end_label}"),
            ),
            tuple(rows),
            row_total=None,
            note="Stages open at the start of the year (received earlier), how many of those "
            "were answered in the year, and every stage still open at the year's end (or the "
            "as-at date if earlier).",
        )

    def reopened_and_repeat(self) -> Table:
        ones = [s for s in self.stages if s.col in ("statutory_1", "corporate_1")]
        keys = _present(s.col for s in ones)

        def row(key: str, label: str, group: list[_Stage], kind: str = MEMO) -> Row:
            return _counts_row(key, label, Counter(s.col for s in group), keys, kind=kind)

        rows = [
            row("reopened", "Re-opened", [s for s in ones if s.case and s.case.reopened_count > 0]),
            row(
                "reopened_more_than_once",
                "Re-opened more than once",
                [s for s in ones if s.case and s.case.reopened_count > 1],
            ),
            row(
                "repeat_complainant",
                "From someone who had complained before",
                [s for s in ones if s.case and s.case.repeat_complainant],
            ),
            row("total", "Stage 1 complaints received", ones, TOTAL),
        ]
        return Table(
            "reopened_and_repeat",
            "Re-opened complaints and repeat complainants",
            tuple(_count_columns(keys)),
            tuple(rows),
            note="Of the Stage 1 complaints received in the year: how many were re-opened "
            "(to the as-at date), and how many came from someone who had complained before.",
        )

    def learning_actions(self) -> Table:
        by_id = {s.fact.id: s for s in self.stages}
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for a in self.facts.learning:
            s = by_id.get(a.stage_id)
            if s is None:
                continue
            status = a.status
            if status == "done" and a.completed_on and a.completed_on > self.as_at:
                status = "open"
            counts[status][s.col] += 1
            if status == "open" and a.due and a.due < self.as_at:
                counts["overdue"][s.col] += 1
        keys = _present(c for v in counts.values() for c in v)
        statuses = _ordered((k for k in counts if k != "overdue"), LEARNING_STATUSES)
        rows = [
            _counts_row(k, LEARNING_STATUSES.get(k, k.capitalize()), counts[k], keys)
            for k in statuses
        ]
        if "overdue" in counts:
            rows.append(
                _counts_row(
                    "overdue", "Open and past its due date", counts["overdue"], keys, kind=MEMO
                )
            )
        total: Counter[str] = Counter()
        for k in statuses:
            total.update(counts[k])
        rows.append(_counts_row("total", "Total", total, keys, kind=TOTAL))
        return Table(
            "learning_actions",
            "Learning actions by status",
            tuple(_count_columns(keys)),
            tuple(rows),
            note="Actions promised on stages received in the year, by their status at the "
            "as-at date.",
        )

    # -- the whole report --------------------------------------------------------------------

    def build(self) -> Report:
        tables = (
            self.received_by_year(),
            self.received_by_quarter(),
            self.received_by_month(),
            self.on_time_by_quarter(),
            self.on_time_by_division(),
            self.timeliness_bands(),
            self.outcomes_by_stage(),
            self.escalation(),
            self.by_service(),
            self.complainant_types(),
            self.advocacy(),
            self.channels(),
            self.themes(),
            self.themes_upheld(),
            self.remedies(),
            self.lgsco_decisions(),
            self.compliments_by_service(),
            self.duty_by_category(),
            self.duty_by_service(),
            self.carried_forward(),
            self.reopened_and_repeat(),
            self.learning_actions(),
        )
        return Report(
            title=f"Complaints and compliments: annual report {year_label(self.year)}",
            year=self.year,
            period_start=self.start,
            period_end=self.end,
            as_at=self.as_at,
            notes=self.notes(),
            tables=tables,
        )

    def notes(self) -> tuple[str, ...]:
        notes = [
            f"The year runs from {fmt(self.start)} to {fmt(self.end)}. A stage belongs to the "
            "year in which it was received; a complaint that goes through several stages is "
            "counted at each stage.",
            f"Figures are as at {fmt(self.as_at)}: anything recorded as happening later is not "
            "counted. Figures for cases still open may change.",
            "On time: responded to (or closed) on or before the due date, which is the extended "
            "date when an extension was recorded. A stage still open at the as-at date and past "
            "its due date is not on time; one still open and not yet due, or with its clock "
            "stopped, is pending. Compliments and duty contacts have no response timescale.",
            "Working days are Monday to Friday, less bank holidays in England and local closure "
            "days; the day a clock starts is not counted, nor days while it was stopped.",
            "A refused request for a further stage is not a stage: it appears only in the "
            "escalation table. A withdrawn stage is counted, with the outcome 'withdrawn'.",
        ]
        if self.as_at < self.end:
            notes.append(
                f"The year is not over at the as-at date: figures cover {fmt(self.start)} to "
                f"{fmt(self.cutoff)}."
            )
        return tuple(notes)


def build_report(
    facts: ReportFacts,
    *,
    year: int,
    as_at: date,
    policy: Policy,
    calendar: WorkingCalendar,
) -> Report:
    """Every table of the annual report for the financial year starting 1 April ``year``."""
    return _Builder(facts, year, as_at, policy, calendar).build()


def with_tables(report: Report, tables: Sequence[Table], **changes: Any) -> Report:
    """A copy of the report with other tables (used by suppression)."""
    return replace(report, tables=tuple(tables), **changes)
