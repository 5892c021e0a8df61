"""The annual report's tables, computed column-wise from the facts.

A year of a large database is tens of thousands of stages, so the work per stage must be
small: the stages are turned once into columns (one list per attribute, as they stood at
the as-at date), and each table counts combinations of columns with ``Counter(zip(...))``,
which runs in C. Only the rare stages whose due date must be worked out again (withdrawn,
or with clock stops) go through the slower, stage-by-stage path.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from itertools import compress
from operator import itemgetter
from typing import Any

from .calendar import WorkingCalendar
from .clocks import OPEN_STATUSES, ClockInput, fmt, stage_deadline
from .policy import Policy
from .report import (
    COMPLAINT_COLUMNS,
    DETAIL,
    MEAN,
    MEMO,
    NO_DEADLINE,
    NOT_RECORDED,
    ONTIME,
    POUNDS,
    QUARTER_LABELS,
    STAGE_COLUMNS,
    SUBTOTAL,
    TOTAL,
    UPHELD,
    CaseFact,
    Cell,
    Column,
    Report,
    ReportFacts,
    Row,
    StageFact,
    Table,
    column_key,
    column_label,
    financial_year,
    month_keys,
    month_label,
    period_of,
    quarter_of,
    year_label,
)
from .vocab import LEARNING_STATUSES, LGSCO_OUTCOMES, STAGED_PROCEDURES

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


class _Days:
    """Working days from a fixed day, cached per date: a year's responses fall on a few
    hundred distinct days, so the calendar is asked once per day, not once per stage."""

    def __init__(self, calendar: WorkingCalendar, epoch: date) -> None:
        self.calendar = calendar
        self.epoch = epoch
        self.index: dict[date, int] = {}

    def at(self, day: date) -> int:
        n = self.index.get(day)
        if n is None:
            n = self.index[day] = self.calendar.working_days_between(self.epoch, day)
        return n


def _slow_clock(
    fact: StageFact,
    spans: Sequence[Span],
    answered: date | None,
    responded: date | None,
    as_at: date,
    policy: Policy,
    calendar: WorkingCalendar,
) -> tuple[date | None, bool, int | None]:
    """Due date as it stood at the as-at date, whether the clock was stopped then, and the
    working days taken - for a stage with clock stops or without a stored due date."""
    start = fact.clock_start or fact.received
    # A stop begun after the as-at date is left out; one still running then stays open
    # (or, for an answered stage, ends at the answer).
    limit = answered or as_at
    known: list[Span] = []
    for a, b in spans:
        if a > limit:
            continue
        if b is None or b > as_at:
            b = answered
        known.append((a, b))
    stopped = answered is None and any(b is None for _, b in known)
    due = fact.due
    if not stopped and (due is None or known != list(spans)):
        # The stored due date is today's (or was wiped on withdrawal): work it out as it
        # stood, so a withdrawn stage is judged against the date it had.
        clock = ClockInput(
            procedure=fact.procedure,
            number=fact.number,
            clock_start=start,
            extended_to=fact.extended_to,
            fixed_due=fact.fixed_due,
            suspensions=tuple((a, b) for a, b in known if b is not None),
            panel_date=fact.panel_date,
            panel_report_date=fact.panel_report_date,
        )
        due = stage_deadline(clock, policy, calendar, explain=False).due
    days = None
    if responded is not None:
        # stops are clipped to the response: one never closed counts up to it
        closed = [(a, min(b, responded) if b else responded) for a, b in spans if a <= responded]
        days = calendar.working_days_between(start, responded, closed)
    return due, stopped, days


class _Stages:
    """Stages as columns, each value as it stood at the as-at date."""

    def __init__(
        self, facts: ReportFacts, as_at: date, policy: Policy, calendar: WorkingCalendar
    ) -> None:
        rows = [f for f in facts.stages if f.received <= as_at]
        # rows to columns in one pass, in C
        columns: list[tuple[Any, ...]] = (
            list(zip(*rows, strict=True)) if rows else [()] * len(StageFact._fields)
        )
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
            *_,
        ) = columns
        self.n = n = len(rows)
        keys: dict[tuple[str, int], str] = {}
        self.col = [
            keys.get(pn) or keys.setdefault(pn, column_key(*pn))
            for pn in zip(self.procedure, self.number, strict=True)
        ]
        self.extended = [e is not None for e in extended_to]
        self.responded = [r if r is not None and r <= as_at else None for r in responded]
        closed = [c if c is not None and c <= as_at else None for c in closed_on]
        self.answered = [r or c for r, c in zip(self.responded, closed, strict=True)]
        # a stage closed with no date recorded at all still counts as concluded
        undated = [
            r is None and c is None and st not in OPEN_STATUSES
            for r, c, st in zip(responded, closed_on, status, strict=True)
        ]
        self.concluded = [a is not None or u for a, u in zip(self.answered, undated, strict=True)]
        self.outcome = [o if c else None for o, c in zip(outcome, self.concluded, strict=True)]

        spans: dict[int, list[Span]] = defaultdict(list)
        for sp in facts.suspensions:
            spans[sp.stage_id].append((sp.start, sp.end))
        at = _Days(calendar, date(as_at.year - 5, 1, 1)).at
        start = [c or r for c, r in zip(clock_start, self.received, strict=True)]
        taken: list[int | None] = [
            at(r) - at(s) if r is not None else None
            for r, s in zip(self.responded, start, strict=True)
        ]
        due = [None if c in NO_DEADLINE else d for c, d in zip(self.col, stored_due, strict=True)]
        stopped = [False] * n
        # the few whose due date must be worked out again: withdrawn, or with clock stops
        for i in where(
            c not in NO_DEADLINE and (d is None or sid in spans)
            for c, d, sid in zip(self.col, stored_due, self.id, strict=True)
        ):
            due[i], stopped[i], taken[i] = _slow_clock(
                rows[i],
                spans.get(self.id[i], ()),
                self.answered[i],
                self.responded[i],
                as_at,
                policy,
                calendar,
            )
        self.days = taken

        def state(col: str, a: date | None, d: date | None, u: bool, stop: bool) -> str | None:
            if col in NO_DEADLINE:
                return None
            if a is not None:
                return "on_time" if d is None or a <= d else "late"
            if u:
                return "late"  # concluded, but nobody can show it was in time
            if stop or d is None or as_at <= d:
                return "pending"
            return "late"

        self.state = list(map(state, self.col, self.answered, due, undated, stopped))

        cases = {c.id: c for c in facts.cases}
        blank = CaseFact(0, "")
        case_columns: list[tuple[Any, ...]] = (
            list(zip(*(cases.get(i, blank) for i in self.case_id), strict=True))
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
        ) = case_columns
        self.repeat = [bool(v) for v in repeat]
        self.reopened = [v or 0 for v in reopened]
        self.advocate_named = [" ".join(v.split()) if v else "" for v in advocate]
        self.with_advocate = [
            bool(inv or name or who == "advocate")
            for inv, name, who in zip(advocate_involved, advocate, self.complainant, strict=True)
        ]


class _Builder:
    def __init__(
        self, facts: ReportFacts, year: int, as_at: date, policy: Policy, calendar: WorkingCalendar
    ) -> None:
        self.facts, self.year, self.as_at = facts, year, as_at
        self.policy, self.vocab = policy, policy.vocabularies
        self.start, self.end = period_of(year)
        self.cutoff = min(self.end, as_at)
        self.s = s = _Stages(facts, as_at, policy, calendar)
        start, cutoff = self.start, self.cutoff
        # The year's stages; a refused request for a further stage is not a stage.
        self.year_ix = where(
            start <= r <= cutoff and d != "refused"
            for r, d in zip(s.received, s.decision, strict=True)
        )
        self.ycol = pick(s.col, self.year_ix)
        self.present = _present(self.ycol)
        self.timed_ix = [i for i in self.year_ix if s.col[i] not in NO_DEADLINE]
        self.complaint_ix = [i for i in self.year_ix if s.col[i] in THEMED]
        self.stage1_ix = [i for i in self.year_ix if s.col[i] in ("statutory_1", "corporate_1")]
        self._picked: dict[tuple[int, str], tuple[Any, ...]] = {}
        self._lasting = {
            id(ix) for ix in (self.year_ix, self.timed_ix, self.complaint_ix, self.stage1_ix)
        }
        # the themes of each case and how each was spelt, for both theme tables
        self.case_themes: dict[int, set[str]] = defaultdict(set)
        self.spellings: dict[str, Counter[str]] = defaultdict(Counter)
        for t in facts.themes:
            self.case_themes[t.case_id].add(t.theme_key)
            self.spellings[t.theme_key][t.theme.strip()] += 1

    def label(self, vocabulary: str, key: str) -> str:
        if key == NOT_RECORDED:
            return "Not recorded"
        return self.vocab.label(vocabulary, key)

    def cols(self, index: Sequence[int], *names: str) -> list[tuple[Any, ...]]:
        """The named columns for the stages at ``index`` (picked once, then reused)."""
        if id(index) not in self._lasting:  # a passing list: its id may be reused later
            return [pick(getattr(self.s, name), index) for name in names]
        out = []
        for name in names:
            key = (id(index), name)
            if key not in self._picked:
                self._picked[key] = pick(getattr(self.s, name), index)
            out.append(self._picked[key])
        return out

    # -- received ------------------------------------------------------------------------

    def received_by_year(self) -> Table:
        counts: dict[int, Counter[str]] = defaultdict(Counter)
        counts[self.year].update(self.ycol)
        s = self.s
        if self.facts.history is not None:
            for h in self.facts.history:
                fy = financial_year(h.received)
                if self.year - 2 <= fy < self.year:
                    counts[fy][column_key(h.procedure, h.number)] += h.stages
        else:
            for r, d, col in zip(s.received, s.decision, s.col, strict=True):
                if d != "refused" and self.year - 2 <= financial_year(r) < self.year:
                    counts[financial_year(r)][col] += 1
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
        self, table_id: str, title: str, keyf: Callable[[date], str], labels: Mapping[str, str]
    ) -> Table:
        by_day = Counter(zip(pick(self.s.received, self.year_ix), self.ycol, strict=True))
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for (day, col), n in by_day.items():
            counts[keyf(day)][col] += n
        keys = self.present
        rows = [_counts_row(k, label, counts[k], keys) for k, label in labels.items()]
        rows.append(_counts_row("total", "Total", Counter(self.ycol), keys, kind=TOTAL))
        return Table(table_id, title, tuple(_count_columns(keys)), tuple(rows))

    def received_by_quarter(self) -> Table:
        return self._received_by(
            "received_by_quarter", "Received by quarter", quarter_of, QUARTER_LABELS
        )

    def received_by_month(self) -> Table:
        return self._received_by(
            "received_by_month",
            "Received by month",
            lambda d: f"{d.year}-{d.month:02d}",
            {m: month_label(m) for m in month_keys(self.year)},
        )

    # -- timeliness ----------------------------------------------------------------------

    def _on_time_table(
        self,
        table_id: str,
        title: str,
        groups: Sequence[tuple[str, str]],
        group_of: Sequence[Any],
        note: str,
    ) -> Table:
        col, state = self.cols(self.timed_ix, "col", "state")
        keys = _present(col)
        cells: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: {"on_time": 0, "total": 0, "pending": 0})
        )
        for (group, c, st), n in Counter(zip(group_of, col, state, strict=True)).items():
            for g in (group, "total"):
                for k in (c, "total"):
                    cell = cells[g][k]
                    cell["total"] += n
                    if st == "on_time":
                        cell["on_time"] += n
                    elif st == "pending":
                        cell["pending"] += n
        columns = [Column(k, column_label(k), ONTIME) for k in keys]
        columns.append(Column("total", "Total", ONTIME, in_row_total=False))

        def row(key: str, label: str, kind: str = DETAIL) -> Row:
            return Row(key, label, {c.key: dict(cells[key][c.key]) for c in columns}, kind)

        rows = [row(k, label) for k, label in groups]
        rows.append(row("total", "Total", TOTAL))
        return Table(table_id, title, tuple(columns), tuple(rows), note=note)

    def on_time_by_quarter(self) -> Table:
        quarters = {d: quarter_of(d) for d in set(pick(self.s.received, self.timed_ix))}
        return self._on_time_table(
            "on_time_by_quarter",
            "Answered on time, by quarter received",
            list(QUARTER_LABELS.items()),
            [quarters[d] for d in pick(self.s.received, self.timed_ix)],
            "Each cell: answered on time / every stage received; pending stages are still "
            "open and not yet due. Compliments and duty contacts have no response timescale.",
        )

    def on_time_by_division(self) -> Table:
        division = [_name_key(d) for d in pick(self.s.division, self.timed_ix)]
        groups = sorted(set(division), key=_name_order)
        return self._on_time_table(
            "on_time_by_division",
            "Answered on time, by division",
            [(d, "Not recorded" if d == NOT_RECORDED else d) for d in groups],
            division,
            "Each cell: answered on time / every stage received; pending stages are still "
            "open and not yet due.",
        )

    def timeliness_bands(self) -> Table:
        ix = self.timed_ix
        col, days, concluded, extended, state, answered = self.cols(
            ix, "col", "days", "concluded", "extended", "state", "answered"
        )
        keys = _present(col)
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

        def band(d: int | None, done: bool) -> str:
            if d is None:
                return "closed" if done else "open"
            if d <= 10:
                return "within_10"
            if d <= 20:
                return "within_20"
            return "within_40" if d <= 40 else "after_40"

        bands = Counter(zip(col, map(band, days, concluded), strict=True))
        ext = Counter(compress(col, extended))
        within = Counter(
            compress(
                col,
                [
                    e and st == "on_time" and a is not None
                    for e, st, a in zip(extended, state, answered, strict=True)
                ],
            )
        )
        day_sum: Counter[str] = Counter()
        day_n = Counter(c for c, d in zip(col, days, strict=True) if d is not None)
        for c, d in zip(col, days, strict=True):
            if d is not None:
                day_sum[c] += d
        total_col = Counter(col)

        def row(key: str, label: str, kind: str = DETAIL) -> Row:
            want = keys if key == "total" else [key]
            cells: dict[str, Cell] = {c.key: 0 for c in columns}
            for b in ("within_10", "within_20", "within_40", "after_40", "closed", "open"):
                cells[b] = sum(bands[(k, b)] for k in want)
            cells["total"] = sum(total_col[k] for k in want)
            n = sum(day_n[k] for k in want)
            cells["average_days"] = round(sum(day_sum[k] for k in want) / n, 1) if n else None
            cells["extended"] = sum(ext[k] for k in want)
            cells["within_extended"] = sum(within[k] for k in want)
            return Row(key, label, cells, kind)

        rows = [row(k, column_label(k)) for k in keys]
        rows.append(row("total", "Total", TOTAL))
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

    # -- outcomes and escalation ---------------------------------------------------------

    def outcomes_by_stage(self) -> Table:
        col, outcome, concluded = self.cols(self.complaint_ix, "col", "outcome", "concluded")
        keys = _present(col)
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for (o, done, c), n in Counter(zip(outcome, concluded, col, strict=True)).items():
            counts[(o or NOT_RECORDED) if done else "open"][c] += n
        found = [k for k in counts if k not in ("open", NOT_RECORDED)]
        outcomes = _ordered(found, self.vocab.tables["outcome"])
        if NOT_RECORDED in counts:
            outcomes.append(NOT_RECORDED)
        rows = [_counts_row(o, self.label("outcome", o), counts[o], keys) for o in outcomes]
        concluded_count: Counter[str] = Counter()
        for o in outcomes:
            concluded_count.update(counts[o])
        rows.append(_counts_row("total", "Concluded", concluded_count, keys, kind=TOTAL))
        rows.append(_counts_row("open", "Not yet concluded", counts["open"], keys, kind=MEMO))
        return Table(
            "outcomes_by_stage",
            "Outcomes by stage",
            tuple(_count_columns(keys)),
            tuple(rows),
            note="Stages received in the year and concluded by the as-at date; the "
            "Ombudsman's column holds its decisions. Percentages are of those concluded.",
        )

    def escalation(self) -> Table:
        s = self.s
        staged = where(p in STAGED_PROCEDURES for p in s.procedure)
        case_id, proc, num, dec, rec = self.cols(
            staged, "case_id", "procedure", "number", "decision", "received"
        )
        # who went on to a further stage (not refused) by the as-at date, whenever asked
        went_on = {
            (c, p, n)
            for c, p, n, d in zip(case_id, proc, num, dec, strict=True)
            if n > 1 and d != "refused"
        }
        in_year = [self.start <= r <= self.cutoff for r in rec]
        year = list(compress(zip(case_id, proc, num, dec, strict=True), in_year))
        decided = Counter((p, n, d or "accepted") for _, p, n, d in year if n > 1)
        before = [(c, p, n + 1) for c, p, n, d in year if d != "refused" and n < 3]
        previous = Counter((p, n) for _, p, n in before)
        progressed = Counter((p, n) for c, p, n in before if (c, p, n) in went_on)
        rows = []
        for procedure in ("statutory", "corporate"):
            for number in (2, 3):
                k = (procedure, number)
                cells: dict[str, Cell] = {
                    "previous": previous[k],
                    "progressed": progressed[k],
                    "accepted": decided[(*k, "accepted")],
                    "refused": decided[(*k, "refused")],
                    "withdrawn": decided[(*k, "withdrawn")],
                }
                cells["requests"] = cells["accepted"] + cells["refused"] + cells["withdrawn"]
                if any(cells.values()):
                    label = f"{procedure.capitalize()} {number - 1} to {number}"
                    rows.append(Row(f"{procedure}_{number}", label, cells))
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

    # -- who, what and where -------------------------------------------------------------

    def by_service(self) -> Table:
        col, divisions, services_, outcome = self.cols(
            self.stage1_ix, "col", "division", "service", "outcome"
        )
        keys = _present(col)
        div = [_name_key(d) for d in divisions]
        svc = [_name_key(v) for v in services_]
        received = Counter(zip(div, svc, col, strict=True))
        upheld = Counter((d, v) for d, v, o in zip(div, svc, outcome, strict=True) if o in UPHELD)
        services: dict[str, set[str]] = defaultdict(set)
        for d, v, _ in received:
            services[d].add(v)

        def cells(pairs: Iterable[tuple[str, str]]) -> dict[str, Cell]:
            pairs = list(pairs)
            c: dict[str, Cell] = {k: sum(received[(d, v, k)] for d, v in pairs) for k in keys}
            c["total"] = sum(c[k] for k in keys)
            c["upheld"] = sum(upheld[p] for p in pairs)
            return c

        rows = []
        used: set[str] = set()
        for d in sorted(services, key=_name_order):
            div_key = f"division:{d}"
            label = "Division not recorded" if d == NOT_RECORDED else d
            rows.append(Row(div_key, label, cells((d, v) for v in services[d]), SUBTOTAL))
            for v in sorted(services[d], key=_name_order):
                key = v if v not in used and v != NOT_RECORDED else f"{v} ({d})"
                used.add(key)
                rows.append(Row(key, _name_label(v), cells([(d, v)]), DETAIL, div_key))
        rows.append(
            Row("total", "Total", cells((d, v) for d in services for v in services[d]), TOTAL)
        )
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

    _CASE_NOTE = (
        "Each stage received in the year counts in its column; Total counts each case once, "
        "however many of its stages fell in the year."
    )

    def _case_table(
        self, table_id: str, title: str, attribute: str, vocabulary: str, note: str
    ) -> Table:
        """Rows of a case attribute; a stage counts in its column, a case once in Total."""
        col, case_id, recorded = self.cols(self.complaint_ix, "col", "case_id", attribute)
        value = [v or NOT_RECORDED for v in recorded]
        keys = _present(col)
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for (v, c), n in Counter(zip(value, col, strict=True)).items():
            counts[v][c] = n
        cases = Counter(v for v, _ in set(zip(value, case_id, strict=True)))
        order = _ordered((k for k in counts if k != NOT_RECORDED), self.vocab.tables[vocabulary])
        if NOT_RECORDED in counts:
            order.append(NOT_RECORDED)
        rows = [
            _counts_row(k, self.label(vocabulary, k), counts[k], keys, total=cases[k])
            for k in order
        ]
        rows.append(
            _counts_row("total", "Total", Counter(col), keys, total=len(set(case_id)), kind=TOTAL)
        )
        return Table(
            table_id, title, tuple(_count_columns(keys, in_total=False)), tuple(rows), note=note
        )

    def complainant_types(self) -> Table:
        return self._case_table(
            "complainant_types", "Who complained", "complainant", "complainant", self._CASE_NOTE
        )

    def channels(self) -> Table:
        return self._case_table(
            "channels", "How complaints were made", "channel", "channel", self._CASE_NOTE
        )

    def advocacy(self) -> Table:
        col, case_id, adv, name, who = self.cols(
            self.complaint_ix, "col", "case_id", "with_advocate", "advocate_named", "complainant"
        )
        keys = _present(col)

        def row(
            key: str, label: str, mask: Sequence[bool], kind: str = DETAIL, grp: str | None = None
        ) -> Row:
            return _counts_row(
                key,
                label,
                Counter(compress(col, mask)),
                keys,
                total=len(set(compress(case_id, mask))),
                kind=kind,
                group=grp,
            )

        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        for a, n in zip(adv, name, strict=True):
            if a:
                spellings[n.casefold()][n] += 1
        rows = [row("with_advocate", "With an advocate", adv, SUBTOTAL)]
        for k in sorted(spellings, key=lambda k: (k == "", k)):
            label = "Advocate not named" if k == "" else spellings[k].most_common(1)[0][0]
            mask = [a and n.casefold() == k for a, n in zip(adv, name, strict=True)]
            rows.append(row(f"advocate:{k or NOT_RECORDED}", label, mask, DETAIL, "with_advocate"))
        rows.append(row("without_advocate", "Without an advocate", [not a for a in adv]))
        young = [w == "young_person" for w in who]
        rows.append(
            row(
                "young_person_with",
                "Young people with an advocate",
                [y and a for y, a in zip(young, adv, strict=True)],
                MEMO,
            )
        )
        rows.append(
            row(
                "young_person_without",
                "Young people without an advocate",
                [y and not a for y, a in zip(young, adv, strict=True)],
                MEMO,
            )
        )
        rows.append(row("total", "Total", [True] * len(col), TOTAL))
        return Table(
            "advocacy",
            "Advocacy",
            tuple(_count_columns(keys, in_total=False)),
            tuple(rows),
            note=self._CASE_NOTE + " With an advocate: an advocate was involved or made the "
            "complaint.",
        )

    def _themes(self, table_id: str, title: str, index: Sequence[int], note: str) -> Table:
        col, case_id = self.cols(index, "col", "case_id")
        keys = _present(col)
        themes, spellings = self.case_themes, self.spellings
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for (c, cid), n in Counter(zip(col, case_id, strict=True)).items():
            for k in themes.get(cid, ()):
                counts[k][c] += n
        cases = Counter(k for cid in set(case_id) for k in themes.get(cid, ()))

        def label(k: str) -> str:
            best = spellings[k].most_common()
            top = best[0][1]
            return min(name for name, n in best if n == top)

        order = sorted(counts, key=lambda k: (-cases[k], label(k).casefold()))
        rows = [_counts_row(k, label(k), counts[k], keys, total=cases[k]) for k in order]
        rows.append(
            _counts_row(
                "total", "Complaints", Counter(col), keys, total=len(set(case_id)), kind=TOTAL
            )
        )
        columns = [Column(k, column_label(k), in_row_total=False, adds_down=False) for k in keys]
        columns.append(Column("total", "Total", in_row_total=False, adds_down=False))
        return Table(table_id, title, tuple(columns), tuple(rows), note=note)

    def themes(self) -> Table:
        return self._themes(
            "themes",
            "Themes of complaints",
            self.complaint_ix,
            self._CASE_NOTE + " A complaint may raise several themes, so rows add up to "
            "more than the total; % is of complaints.",
        )

    def themes_upheld(self) -> Table:
        outcome = self.s.outcome
        return self._themes(
            "themes_upheld",
            "Themes of upheld complaints",
            [i for i in self.complaint_ix if outcome[i] in UPHELD],
            "Stages upheld or partially upheld by the as-at date. A complaint may raise "
            "several themes; % is of upheld complaints.",
        )

    # -- remedies, the Ombudsman, compliments, duty --------------------------------------

    def _year_stage(self) -> dict[int, int]:
        """Stage id -> position, for the year's stages."""
        return dict(zip(pick(self.s.id, self.year_ix), self.year_ix, strict=True))

    def remedies(self) -> Table:
        s, pos = self.s, self._year_stage()
        kinds: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        pence: dict[str, int] = {}
        any_remedy: dict[str, set[int]] = defaultdict(set)
        for r in self.facts.remedies:
            i = pos.get(r.stage_id)
            if i is None or not s.concluded[i]:
                continue
            kinds[r.kind][s.col[i]].add(r.stage_id)
            any_remedy[s.col[i]].add(r.stage_id)
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
        s = self.s
        ombudsman = [i for i in self.year_ix if s.col[i] == "lgsco"]
        outcome_of = {s.id[i]: s.outcome[i] for i in ombudsman}
        pence: dict[str, int] = {}
        for r in self.facts.remedies:
            o = outcome_of.get(r.stage_id)
            if o and r.kind == "payment" and r.amount_pence:
                pence[o] = pence.get(o, 0) + r.amount_pence
        counts = Counter(o or "awaiting" for o in outcome_of.values())
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

    def compliments_by_service(self) -> Table:
        s = self.s
        services = [_name_key(s.service[i]) for i in self.year_ix if s.col[i] == "compliment"]
        counts = Counter(services)
        rows = [
            Row(k, _name_label(k), {"count": counts[k]}) for k in sorted(counts, key=_name_order)
        ]
        rows.append(Row("total", "Total", {"count": len(services)}, TOTAL))
        return Table(
            "compliments_by_service",
            "Compliments by service",
            (Column("count", "Number"),),
            tuple(rows),
            row_total=None,
            note="Compliments received in the year.",
        )

    def _duty(self) -> tuple[list[str], list[str]]:
        s = self.s
        duty = [i for i in self.year_ix if s.col[i] == "duty"]
        category = [s.duty_category[i] or "untriaged" for i in duty]
        service = [_name_key(s.service[i]) for i in duty]
        return category, service

    def _duty_order(self, categories: Iterable[str]) -> list[str]:
        found = set(categories)
        order = _ordered(found - {"untriaged"}, self.vocab.tables["duty_category"])
        return [*order, "untriaged"] if "untriaged" in found else order

    def _duty_label(self, key: str) -> str:
        return "Not yet triaged" if key == "untriaged" else self.label("duty_category", key)

    def duty_by_category(self) -> Table:
        category, _ = self._duty()
        counts = Counter(category)
        rows = [Row(k, self._duty_label(k), {"count": counts[k]}) for k in self._duty_order(counts)]
        rows.append(Row("total", "Total", {"count": len(category)}, TOTAL))
        return Table(
            "duty_by_category",
            "Duty matters by category",
            (Column("count", "Number"),),
            tuple(rows),
            row_total=None,
            note="Contacts handled on duty, received in the year, that did not enter a procedure.",
        )

    def duty_by_service(self) -> Table:
        category, service = self._duty()
        keys = self._duty_order(category)
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for (v, c), n in Counter(zip(service, category, strict=True)).items():
            counts[v][c] = n
        rows = [
            _counts_row(k, _name_label(k), counts[k], keys) for k in sorted(counts, key=_name_order)
        ]
        rows.append(_counts_row("total", "Total", Counter(category), keys, kind=TOTAL))
        columns = [Column(k, self._duty_label(k)) for k in keys]
        columns.append(Column("total", "Total", in_row_total=False))
        return Table(
            "duty_by_service",
            "Duty matters by service",
            tuple(columns),
            tuple(rows),
            note="Pending further information is shown as its own column, since the service "
            "may not be certain until the information arrives.",
        )

    # -- open work, repeats, learning ----------------------------------------------------

    def carried_forward(self) -> Table:
        s = self.s
        day_before = self.start - timedelta(days=1)

        def open_on(day: date) -> list[bool]:
            return [
                r <= day
                and c != "compliment"
                and d != "refused"
                and (a > day if a is not None else not done)
                for r, c, d, a, done in zip(
                    s.received, s.col, s.decision, s.answered, s.concluded, strict=True
                )
            ]

        at_start, at_end = open_on(day_before), open_on(self.cutoff)
        counts = {
            "open_at_start": Counter(compress(s.col, at_start)),
            "closed_in_year": Counter(
                compress(s.col, [a and not e for a, e in zip(at_start, at_end, strict=True)])
            ),
            "open_at_end": Counter(compress(s.col, at_end)),
        }
        keys = _present([*counts["open_at_start"], *counts["open_at_end"]])
        rows = [Row(k, column_label(k), {c: counts[c][k] for c in counts}) for k in keys]
        rows.append(Row("total", "Total", {c: sum(v.values()) for c, v in counts.items()}, TOTAL))
        return Table(
            "carried_forward",
            "Carried forward and still open",
            (
                Column("open_at_start", f"Open on {fmt(self.start)}"),
                Column("closed_in_year", "Of which closed in the year"),
                Column("open_at_end", f"Open on {fmt(self.cutoff)}"),
            ),
            tuple(rows),
            row_total=None,
            note="Stages open at the start of the year (received earlier), how many of those "
            "were answered in the year, and every stage still open at the year's end (or the "
            "as-at date if earlier).",
        )

    def reopened_and_repeat(self) -> Table:
        col, reopened, repeat = self.cols(self.stage1_ix, "col", "reopened", "repeat")
        keys = _present(col)

        def row(key: str, label: str, mask: Iterable[bool], kind: str = MEMO) -> Row:
            return _counts_row(key, label, Counter(compress(col, mask)), keys, kind=kind)

        rows = [
            row("reopened", "Re-opened", [n > 0 for n in reopened]),
            row("reopened_more_than_once", "Re-opened more than once", [n > 1 for n in reopened]),
            row("repeat_complainant", "From someone who had complained before", repeat),
            _counts_row("total", "Stage 1 complaints received", Counter(col), keys, kind=TOTAL),
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
        s, pos = self.s, self._year_stage()
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for a in self.facts.learning:
            i = pos.get(a.stage_id)
            if i is None:
                continue
            status = a.status
            if status == "done" and a.completed_on and a.completed_on > self.as_at:
                status = "open"  # completed after the as-at date
            counts[status][s.col[i]] += 1
            if status == "open" and a.due and a.due < self.as_at:
                counts["overdue"][s.col[i]] += 1
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

    # -- the whole report ----------------------------------------------------------------

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


# -- small helpers ---------------------------------------------------------------------------


def _present(keys: Iterable[str], order: Sequence[str] = STAGE_COLUMNS) -> list[str]:
    """The stage columns that occur, in the reports' order."""
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
    found = set(keys)
    known = [k for k in vocabulary if k in found]
    return known + sorted(found - set(known))


def _name_key(value: str | None) -> str:
    return value if value else NOT_RECORDED


def _name_label(value: str | None) -> str:
    return value if value and value != NOT_RECORDED else "Not recorded"


def _name_order(key: str) -> tuple[bool, str]:
    """Names alphabetically, 'not recorded' last."""
    return (key == NOT_RECORDED, key.casefold())


def build(
    facts: ReportFacts, year: int, as_at: date, policy: Policy, calendar: WorkingCalendar
) -> Report:
    return _Builder(facts, year, as_at, policy, calendar).build()
