"""The annual report's tables of what was received and how quickly it was answered."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from itertools import compress
from typing import Any

from .report import (
    CONCLUDED,
    DETAIL,
    MEAN,
    MEMO,
    NOT_RECORDED,
    ONTIME,
    QUARTER_LABELS,
    TOTAL,
    Cell,
    Column,
    Row,
    Table,
    column_key,
    column_label,
    financial_year,
    month_keys,
    month_label,
    quarter_of,
    year_label,
)
from .report_base import TableBuilder
from .report_stages import (
    count_columns,
    counts_row,
    name_keys,
    name_order,
    pick,
    present,
)

_ON_TIME_NOTE = (
    "Each cell: % on time of the stages decided (responded to), with on time / decided; "
    "+N: still open and not yet due (pending), not counted as late. A stage closed without "
    "a response is never on time: it is not in the percentage, and is counted in the JSON "
    "as 'closed' and in the timescale table's own column."
)


EARLIER_YEARS = 6
"""Earlier years the received table shows when the data holds them (the seeds show 3-7)."""

_MONTH = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _year_before(day: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


class ReceivedTables(TableBuilder):
    _by_day: Counter[tuple[date, str]] | None = None

    # -- received ------------------------------------------------------------------------

    def received_by_year(self) -> Table:
        counts: dict[int, Counter[str]] = defaultdict(Counter)
        counts[self.year].update(self.ycol)
        s = self.s
        # While the year is in progress it is compared with the same months of the year
        # before, never with the whole of it.
        same_day = _year_before(self.cutoff) if self.as_at < self.end else None
        to_date: Counter[str] = Counter()
        first_day: dict[int, date] = {}
        earliest = self.year - EARLIER_YEARS

        def add(day: date, col: str, n: int) -> None:
            fy = financial_year(day)
            if not earliest <= fy < self.year:
                return
            counts[fy][col] += n
            if fy not in first_day or day < first_day[fy]:
                first_day[fy] = day
            if same_day is not None and fy == self.year - 1 and day <= same_day:
                to_date[col] += n

        if self.facts.history is not None:
            for h in self.facts.history:
                add(h.received, column_key(h.procedure, h.number), h.stages)
        else:
            for r, d, col in zip(s.received, s.decision, s.col, strict=True):
                if d != "refused":
                    add(r, col, 1)
        years = [y for y in range(earliest, self.year) if sum(counts[y].values())]
        # The register's first year is left out when its records start after its first
        # month: a partial year would show a spurious rise in the next.
        if self.facts.history is not None and years and first_day[years[0]] > date(years[0], 4, 30):
            years = years[1:]
        keys = present([*(k for y in years for k in counts[y]), *counts[self.year]])
        rows = [counts_row(year_label(y), year_label(y), counts[y], keys) for y in years[:-1]]
        if years:
            y = years[-1]
            rows.append(counts_row(year_label(y), year_label(y), counts[y], keys))
        if same_day is not None and years and years[-1] == self.year - 1:
            label = f"{year_label(self.year - 1)} to {same_day.day} {_MONTH[same_day.month]}"
            rows.append(counts_row("previous_to_date", label, to_date, keys, kind=MEMO))
        rows.append(
            counts_row(year_label(self.year), year_label(self.year), counts[self.year], keys)
        )
        return Table(
            "received_by_year",
            "Received, this year and the years before",
            tuple(count_columns(keys)),
            tuple(rows),
            note="Years are financial years (April to March); earlier years are shown when "
            "they hold data (a first year whose records start after April is left out, being "
            "partial). The % change is on the previous year"
            + (", over the same months while this year is in progress." if same_day else "."),
        )

    def _received_by(
        self, table_id: str, title: str, keyf: Callable[[date], str], labels: Mapping[str, str]
    ) -> Table:
        if self._by_day is None:  # the quarter's and the month's table share it
            self._by_day = Counter(zip(pick(self.s.received, self.year_ix), self.ycol, strict=True))
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for (day, col), n in self._by_day.items():
            counts[keyf(day)][col] += n
        total: Counter[str] = Counter()
        for (_, col), n in self._by_day.items():
            total[col] += n
        keys = self.present
        rows = [counts_row(k, label, counts[k], keys) for k, label in labels.items()]
        rows.append(counts_row("total", "Total", total, keys, kind=TOTAL))
        return Table(table_id, title, tuple(count_columns(keys)), tuple(rows))

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
        col, state = self.cols(self.basis_timed_ix, "col", "state")
        keys = present(col)
        cells: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: {"on_time": 0, "total": 0, "pending": 0, "closed": 0})
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
                    elif st == "closed":
                        cell["closed"] += n
        columns = [Column(k, column_label(k), ONTIME) for k in keys]
        columns.append(Column("total", "Total", ONTIME, in_row_total=False))

        def row(key: str, label: str, kind: str = DETAIL) -> Row:
            return Row(key, label, {c.key: dict(cells[key][c.key]) for c in columns}, kind)

        rows = [row(k, label) for k, label in groups]
        rows.append(row("total", "Total", TOTAL))
        return Table(table_id, title, tuple(columns), tuple(rows), note=note)

    def on_time_by_quarter(self) -> Table:
        concluded = self.basis == CONCLUDED
        days = (
            [
                a or r
                for a, r in zip(
                    *self.cols(self.basis_timed_ix, "answered", "received"), strict=True
                )
            ]
            if concluded
            else list(pick(self.s.received, self.basis_timed_ix))
        )
        quarters = {d: quarter_of(d) for d in set(days)}
        return self._on_time_table(
            "on_time_by_quarter",
            "Answered on time, by quarter concluded"
            if concluded
            else "Answered on time, by quarter received",
            list(QUARTER_LABELS.items()),
            [quarters[d] for d in days],
            _ON_TIME_NOTE + " Compliments and duty contacts have no response timescale.",
        )

    def on_time_by_division(self) -> Table:
        division = name_keys(pick(self.s.division, self.basis_timed_ix))
        groups = sorted(set(division), key=name_order)
        return self._on_time_table(
            "on_time_by_division",
            "Answered on time, by division",
            [(d, "Not recorded" if d == NOT_RECORDED else d) for d in groups],
            division,
            _ON_TIME_NOTE,
        )

    def timeliness_bands(self) -> Table:
        ix = self.basis_timed_ix
        col, days, concluded, extended, state = self.cols(
            ix, "col", "days", "concluded", "extended", "state"
        )
        keys = present(col)
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

        # counted by distinct (column, days, concluded) in C, then banded once each
        bands: Counter[tuple[str, str]] = Counter()
        day_sum: Counter[str] = Counter()
        day_n: Counter[str] = Counter()
        for (c, d, done), n in Counter(zip(col, days, concluded, strict=True)).items():
            bands[(c, band(d, done))] += n
            if d is not None:
                day_sum[c] += d * n
                day_n[c] += n
        ext = Counter(compress(col, extended))
        # on time implies answered (a response is an answer): extended and on time
        within: Counter[str] = Counter()
        for (c, e, st), n in Counter(zip(col, extended, state, strict=True)).items():
            if e and st == "on_time":
                within[c] += n
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
            note=f"{self.counted}. "
            "Working days from the clock start to the response, not counting days while "
            "the clock was stopped. Bands do not overlap (11-20 means 11 to 20 working days). "
            "Closed: withdrawn, or closed without a response. Open: still open at the as-at "
            "date. Average: of the stages responded to. 'Within extension': extended and "
            "answered by the extended date.",
        )

    def timescale_bands(self) -> Table:
        """Each stage against its own timescale from the policy (Stage 2: within 25,
        within 65, over 65), as the reports print them."""
        col, days, state, proc, num, received = self.cols(
            self.basis_timed_ix, "col", "days", "state", "procedure", "number", "received"
        )
        keys = present(col)
        # each stage against the policy in force when it was received (a council's
        # timescales may change, as corporate ones did with the Complaint Handling Code):
        # the stages are taken a policy at a time (nearly always one for the whole year).
        # A column's timescale is its procedure's and stage's, the same for all its stages.
        in_force = {d: self.policy.in_force(d) for d in set(received)}
        policies = {id(p): p for p in in_force.values()}
        if len(policies) == 1:
            eras = [(next(iter(policies.values())), col, days, state)]
        else:
            era_of = {d: id(p) for d, p in in_force.items()}
            eras = []
            for key, policy in policies.items():
                mask = [era_of[r] == key for r in received]
                eras.append((policy, *(list(compress(v, mask)) for v in (col, days, state))))
        where_col = dict(zip(col, range(len(col)), strict=True))
        shown: dict[str, set[tuple[int, int] | None]] = defaultdict(set)
        counted: Counter[tuple[str, int | None, str | None, tuple[int, int] | None]] = Counter()
        for policy, e_col, e_days, e_state in eras:
            limits: dict[str, tuple[int, int] | None] = {}
            for c in set(e_col):
                p, n = proc[where_col[c]], num[where_col[c]]
                ts = policy.timescale(p, n) if p != "lgsco" else None
                limits[c] = (ts.days, ts.extended) if ts else None
                shown[c].add(limits[c])
            # counted by distinct (column, days, state) in C, then banded once each
            for (c, d, st), n in Counter(zip(e_col, e_days, e_state, strict=True)).items():
                counted[(c, d, st, limits[c])] += n
        counts: Counter[tuple[str, str]] = Counter()
        for (c, d, st, lim), n in counted.items():
            if d is None:
                band = "closed" if st == "closed" else "open"
            elif lim is None:
                band = "standard" if st == "on_time" else "over"
            elif d <= lim[0]:
                band = "standard"
            elif d <= lim[1]:
                band = "extended"
            else:
                band = "over"
            counts[(c, band)] += n
        bands = ("standard", "extended", "over", "closed", "open")
        columns = [
            Column("standard", "Within standard"),
            Column("extended", "Within extended"),
            Column("over", "Over extended"),
            Column("closed", "Closed without a response"),
            Column("open", "Open"),
            Column("total", "Total", in_row_total=False),
            Column("limits", "Timescale (days)", "text", in_row_total=False, adds_down=False),
        ]
        rows = []
        for k in keys:
            cells: dict[str, Cell] = {b: counts[(k, b)] for b in bands}
            cells["total"] = sum(cells[b] for b in bands)
            cells["limits"] = ", ".join(
                (f"{lim[0]}" if lim[0] == lim[1] else f"{lim[0]} / {lim[1]}") if lim else "set"
                for lim in sorted(shown[k], key=lambda x: x or (0, 0))
            )
            rows.append(Row(k, column_label(k), cells))
        total: dict[str, Cell] = {b: sum(counts[(k, b)] for k in keys) for b in bands}
        total["total"] = sum(total[b] for b in bands)
        total["limits"] = None
        rows.append(Row("total", "Total", total, TOTAL))
        return Table(
            "timescale_bands",
            "Working days against each stage's timescale",
            tuple(columns),
            tuple(rows),
            note=f"{self.counted}. Each stage against its policy timescale: within the "
            "standard (e.g. 25 working days for statutory Stage 2), within the most an "
            "extension may reach (65), or over it. The Ombudsman's column uses its own "
            "deadlines ('set'): within them or not.",
        )
