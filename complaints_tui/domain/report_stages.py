"""The annual report's tables, computed column-wise from the facts.

A year of a large database is tens of thousands of stages, so the work per stage must be
small: the stages are turned once into columns (one list per attribute, as they stood at
the as-at date), and each table counts combinations of columns with ``Counter(zip(...))``,
which runs in C. Only the rare stages whose due date must be worked out again (withdrawn,
or with clock stops) go through the slower, stage-by-stage path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from itertools import compress
from itertools import repeat as times
from operator import eq, is_, is_not, itemgetter
from typing import Any

from .calendar import WorkingCalendar
from .clocks import OPEN_STATUSES, ClockInput, stage_deadline
from .policy import Policy
from .report import (
    COMPLAINT_COLUMNS,
    DETAIL,
    NO_DEADLINE,
    NOT_RECORDED,
    STAGE_COLUMNS,
    CaseFact,
    Cell,
    Column,
    ReportFacts,
    Row,
    StageFact,
    column_key,
    column_label,
)
from .report_columns import StageTable

THEMED = frozenset({*COMPLAINT_COLUMNS, "lgsco"})
"""The columns the tables of who, how and what cover: complaints and the Ombudsman."""

Span = tuple[date, date | None]


def pick(values: Sequence[Any], index: Sequence[int]) -> tuple[Any, ...]:
    """values[i] for each i in index, fetched in C."""
    if not index:
        return ()
    if len(index) == 1:
        return (values[index[0]],)
    return itemgetter(*index)(values)


def where(mask: Iterable[bool]) -> list[int]:
    return [i for i, keep in enumerate(mask) if keep]


class _Days(dict[date, int]):
    """Working days from a fixed day, cached per date: a year's responses fall on a few
    hundred distinct days, so the calendar is asked once per day, not once per stage (and
    a hit is a plain dict lookup, with no Python call)."""

    def __init__(self, calendar: WorkingCalendar, epoch: date) -> None:
        super().__init__()
        self.calendar = calendar
        self.epoch = epoch

    def __missing__(self, day: date) -> int:
        n = self[day] = self.calendar.working_days_between(self.epoch, day)
        return n


class Once(dict[Any, Any]):
    """A value worked out once per distinct stored value (a few dozen spellings of a
    case's statuses or advocates, among tens of thousands of stages)."""

    def __init__(self, parse: Callable[[Any], Any]) -> None:
        super().__init__()
        self.parse = parse

    def __missing__(self, value: Any) -> Any:
        out = self[value] = self.parse(value)
        return out


def _deadline(
    fact: StageFact,
    spans: Sequence[tuple[date, date]],
    policy: Policy,
    calendar: WorkingCalendar,
    *,
    extended: bool = True,
    memo: dict[ClockInput, date | None] | None = None,
) -> date | None:
    clock = ClockInput(
        procedure=fact.procedure,
        number=fact.number,
        clock_start=fact.clock_start or fact.received,
        extended_to=fact.extended_to if extended else None,
        fixed_due=fact.fixed_due,
        suspensions=tuple(spans),
        panel_date=fact.panel_date,
        panel_report_date=fact.panel_report_date,
    )
    # A due date depends on the clock alone (the policy and calendar are fixed for a
    # report): the stages of a kind started on one day share it, so ``memo`` keeps each.
    if memo is not None and clock in memo:
        return memo[clock]
    due = stage_deadline(clock, policy, calendar, explain=False).due
    if memo is not None:
        memo[clock] = due
    return due


def _slow_clock(
    fact: StageFact,
    spans: Sequence[Span],
    answered: date | None,
    responded: date | None,
    as_at: date,
    policy: Policy,
    calendar: WorkingCalendar,
    memo: dict[ClockInput, date | None] | None = None,
) -> tuple[date | None, bool, int | None]:
    """Due date as it stood at the as-at date, whether the clock was stopped then, and the
    working days taken - for a stage with clock stops or without a stored due date.

    Honest timeliness: a clock stop begun after the stage was already due does not move
    its due date, nor does an extension agreed after it was due (the stage is judged
    against the date it had when the stop or the extension came)."""
    start = fact.clock_start or fact.received
    # A stop begun after the as-at date is left out; one still running then stays open
    # (or, for an answered stage, ends at the answer).
    limit = answered or as_at
    known: list[Span] = []
    for a, b in sorted(spans, key=lambda sp: sp[0]):
        if a > limit:
            continue
        if b is None or b > as_at:
            b = answered
        known.append((a, b))
    stopped = answered is None and any(b is None for _, b in known)
    due = fact.due
    if not stopped:
        # The stored due date is today's (or was wiped on withdrawal): work it out as it
        # stood, so a withdrawn stage is judged against the date it had. Stops are taken
        # in order, each only if it began by the due date the earlier ones gave.
        kept: list[tuple[date, date]] = []
        due = _deadline(fact, kept, policy, calendar, extended=False, memo=memo)
        for a, b in known:
            if b is None or (due is not None and a > due):
                continue
            kept.append((a, b))
            due = _deadline(fact, kept, policy, calendar, extended=False, memo=memo)
        agreed = fact.extension_agreed
        if fact.extended_to is not None and not (agreed and due and agreed > due):
            due = _deadline(fact, kept, policy, calendar, memo=memo)
    days = None
    if responded is not None:
        # stops are clipped to the response: one never closed counts up to it
        closed = [(a, min(b, responded) if b else responded) for a, b in spans if a <= responded]
        days = calendar.working_days_between(start, responded, closed)
    return due, stopped, days


class StageColumns:
    """Stages as columns, each value as it stood at the as-at date."""

    def __init__(
        self, facts: ReportFacts, as_at: date, policy: Policy, calendar: WorkingCalendar
    ) -> None:
        rows: Sequence[StageFact]
        case_columns: list[Sequence[Any]] | None = None
        if isinstance(facts.stages, StageTable):  # as read: columns, each case beside
            columns: list[Sequence[Any]] = list(facts.stages.stages)
            case_columns = list(facts.stages.cases)
            if columns[4] and max(columns[4]) > as_at:  # received later: not yet known
                keep = [r <= as_at for r in columns[4]]
                columns = [list(compress(c, keep)) for c in columns]
                case_columns = [list(compress(c, keep)) for c in case_columns]
            rows = StageTable(columns, case_columns)
        else:
            rows = [f for f in facts.stages if f.received <= as_at]
            # rows to columns in one pass, in C
            columns = list(zip(*rows, strict=True)) if rows else [()] * len(StageFact._fields)
        (
            self.id,
            self.case_id,
            self.procedure,
            self.number,
            self.received,
            clock_start,
            stored_due,
            _timescale,
            extended_to,
            responded,
            outcome,
            self.decision,
            status,
            closed_on,
            _fixed_due,
            self.panel_date,
            _panel_report_date,
            agreed,
            self.acknowledged,
            self.request_date,
            self.ombudsman_reference,
        ) = columns
        self.n = n = len(rows)
        keys = Once(lambda pn: column_key(*pn))
        self.col = list(map(keys.__getitem__, zip(self.procedure, self.number, strict=True)))
        self.extended = list(map(is_not, extended_to, times(None)))
        # a date after the as-at date is not yet known (worked out once per day)
        known = Once(lambda d: d if d is not None and d <= as_at else None)
        self.responded = list(map(known.__getitem__, responded))
        closed = list(map(known.__getitem__, closed_on))
        self.answered = [r or c for r, c in zip(self.responded, closed, strict=True)]
        self.concluded = list(map(is_not, self.answered, times(None)))
        # a stage closed with no date recorded at all still counts as concluded (the few
        # with no response date are found in C, then looked at)
        undated = [False] * n
        for i in compress(range(n), map(is_, responded, times(None))):
            if closed_on[i] is None and status[i] not in OPEN_STATUSES:
                undated[i] = self.concluded[i] = True
        self.outcome = [o if c else None for o, c in zip(outcome, self.concluded, strict=True)]

        spans: dict[int, list[Span]] = defaultdict(list)
        for sp in facts.suspensions:
            spans[sp.stage_id].append((sp.start, sp.end))
        at = _Days(calendar, date(as_at.year - 5, 1, 1))
        start = [c or r for c, r in zip(clock_start, self.received, strict=True)]
        taken: list[int | None] = [
            at[r] - at[s] if r is not None else None
            for r, s in zip(self.responded, start, strict=True)
        ]
        due = [None if c in NO_DEADLINE else d for c, d in zip(self.col, stored_due, strict=True)]
        stopped = [False] * n
        # the few whose due date must be worked out again: withdrawn, or with clock stops
        # (found in C: the stages without a stored due date, and those with a stop)
        position = dict(zip(self.id, range(n), strict=True))
        redo = {*compress(range(n), map(is_, stored_due, times(None)))}
        redo.update(position[sid] for sid in spans if sid in position)
        # (a refused request is not a stage: no table times it)
        decision = self.decision
        clocks: dict[ClockInput, date | None] = {}
        for i in sorted(
            i for i in redo if self.col[i] not in NO_DEADLINE and decision[i] != "refused"
        ):
            due[i], stopped[i], taken[i] = _slow_clock(
                rows[i],
                spans.get(self.id[i], ()),
                self.answered[i],
                self.responded[i],
                as_at,
                policy,
                calendar,
                clocks,
            )
        # An extension agreed after the stage was already due does not save it: judged
        # against the original due date (the same date for every stage of a kind that
        # started on a day, so worked out once per day).
        original: dict[tuple[str, int, date, date | None], date | None] = {}
        for i in compress(range(n), agreed):  # the few with an agreed date, found in C
            if extended_to[i] is None or self.id[i] in spans or due[i] is None:
                continue
            f = rows[i]
            key = (f.procedure, f.number, start[i], f.fixed_due)
            if key not in original:
                original[key] = _deadline(f, (), policy, calendar, extended=False, memo=clocks)
            first = original[key]
            if first is not None and agreed[i] > first:
                due[i] = first
        self.due = due
        self.days = taken

        def state(
            col: str, r: date | None, a: date | None, d: date | None, u: bool, stop: bool
        ) -> str | None:
            if col in NO_DEADLINE:
                return None
            if r is not None:
                return "on_time" if d is None or r <= d else "late"
            if a is not None or u:
                # closed without a response: never on time, and its own figure
                return "closed"
            if stop or d is None or as_at <= d:
                return "pending"
            return "late"

        self.state = list(
            map(state, self.col, self.responded, self.answered, due, undated, stopped)
        )

        if case_columns is None:  # each stage's case, joined here
            cases = {c.id: c for c in facts.cases}
            blank = CaseFact(0, "")
            case_columns = (
                list(zip(*map(cases.get, self.case_id, times(blank)), strict=True))
                if n
                else [()] * len(CaseFact._fields)
            )
        (
            _,
            _,
            self.complainant,
            advocate_involved,
            advocate,
            self.channel,
            self.division,
            self.service,
            self.duty_category,
            repeat,
            reopened,
            child_statuses,
            self.reference,
        ) = case_columns
        statuses = Once(lambda v: tuple(x.strip() for x in v.split(";") if x.strip()) if v else ())
        self.child_statuses = list(map(statuses.__getitem__, child_statuses))
        self.repeat = list(map(bool, repeat))
        self.reopened = [v or 0 for v in reopened]
        named = Once(lambda v: " ".join(v.split()) if v else "")
        self.advocate_named = list(map(named.__getitem__, advocate))
        # an advocate involved, or named, or the complainant: any of the three, in C
        is_advocate = map(eq, self.complainant, times("advocate"))
        self.with_advocate = list(
            map(any, zip(advocate_involved, advocate, is_advocate, strict=True))
        )


# -- small helpers ---------------------------------------------------------------------------


def present(keys: Iterable[str], order: Sequence[str] = STAGE_COLUMNS) -> list[str]:
    """The stage columns that occur, in the reports' order."""
    seen = set(keys)
    return [k for k in order if k in seen]


def count_columns(
    keys: Sequence[str], *, total: bool = True, in_total: bool = True
) -> list[Column]:
    cols = [Column(k, column_label(k), in_row_total=in_total) for k in keys]
    if total:
        cols.append(Column("total", "Total", in_row_total=False))
    return cols


def counts_row(
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


def ordered(keys: Iterable[str], vocabulary: Mapping[str, str]) -> list[str]:
    """Vocabulary keys in the vocabulary's order, then unknown keys alphabetically."""
    found = set(keys)
    known = [k for k in vocabulary if k in found]
    return known + sorted(found - set(known))


def name_key(value: str | None) -> str:
    return value if value else NOT_RECORDED


def name_keys(values: Iterable[str | None]) -> list[str]:
    """``name_key`` of each value, worked out once per distinct value."""
    values = list(values)
    keys = {v: name_key(v) for v in set(values)}
    return list(map(keys.__getitem__, values))


def name_label(value: str | None) -> str:
    return value if value and value != NOT_RECORDED else "Not recorded"


def name_order(key: str) -> tuple[bool, str]:
    """Names alphabetically, 'not recorded' last."""
    return (key == NOT_RECORDED, key.casefold())
