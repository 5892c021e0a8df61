"""The annual report's tables of what was received and how quickly it was answered."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from itertools import compress
from typing import Any

from .report import (
    DETAIL,
    MEAN,
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
    name_key,
    name_order,
    pick,
    present,
)


class ReceivedTables(TableBuilder):
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
        keys = present(k for y in years for k in counts[y])
        rows = [counts_row(year_label(y), year_label(y), counts[y], keys) for y in years]
        return Table(
            "received_by_year",
            "Received, this year and the two before",
            tuple(count_columns(keys)),
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
        rows = [counts_row(k, label, counts[k], keys) for k, label in labels.items()]
        rows.append(counts_row("total", "Total", Counter(self.ycol), keys, kind=TOTAL))
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
        col, state = self.cols(self.timed_ix, "col", "state")
        keys = present(col)
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
        division = [name_key(d) for d in pick(self.s.division, self.timed_ix)]
        groups = sorted(set(division), key=name_order)
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
