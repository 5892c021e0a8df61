"""Suppression of small numbers: the report's figures that take part in a sum, and the sums
(rows, columns, subtotals, and the figures tables share), for ``suppress`` to check."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from complaints_tui.domain.report import (
    COMPLAINT_COLUMNS,
    CONCLUDED,
    COUNT,
    DETAIL,
    MEAN,
    ONTIME,
    ONTIME_PARTS,
    POUNDS,
    SUBTOTAL,
    TOTAL,
    Report,
    Table,
    year_label,
)

CellId = tuple[str, str, str, str | None]
"""(table id, row key, column key, part of an on-time cell or None)."""


@dataclass(frozen=True)
class Line:
    """The members add up to the total."""

    members: tuple[CellId, ...]
    total: CellId

    @property
    def cells(self) -> tuple[CellId, ...]:
        return (*self.members, self.total)


class Grid:
    """Every figure of the report that takes part in a sum, and the sums.

    A figure printed in two places (the year's Stage 1 total is in half the tables) is one
    figure: hidden in one place, it is hidden in all, and it is one unknown to solve for.
    """

    def __init__(self, report: Report) -> None:
        self.cells: dict[CellId, float] = {}
        self.counts: set[CellId] = set()
        self.money: set[CellId] = set()
        self.row_cells: dict[tuple[str, str], list[CellId]] = defaultdict(list)
        self._raw: list[tuple[tuple[CellId, ...], CellId]] = []
        self._parent: dict[CellId, CellId] = {}
        self.tables = {t.id: t for t in report.tables}
        self.below = 0
        for table in report.tables:
            self._table(table)
        self._links(report)
        # each figure is named by one of its cells
        self.rep = {cid: self._find(cid) for cid in self.cells}
        self.values = {self.rep[c]: v for c, v in self.cells.items()}
        self.is_count = {self.rep[c] for c in self.counts}
        self.is_money = {self.rep[c] for c in self.money}
        seen: set[tuple[tuple[CellId, ...], CellId]] = set()
        self.lines: list[Line] = []
        for members, total in self._raw:
            key = (tuple(sorted((self.rep[m] for m in members), key=str)), self.rep[total])
            if key in seen or key[0] == (key[1],):
                continue
            seen.add(key)
            self.lines.append(Line(*key))
        self.lines_of: dict[CellId, list[Line]] = defaultdict(list)
        for line in self.lines:
            for cid in {*line.members, line.total}:
                self.lines_of[cid].append(line)
        self.totals = {line.total for line in self.lines}
        self.figures_of_row = {
            row: {self.rep[c] for c in cells} for row, cells in self.row_cells.items()
        }
        # Headline totals (the year's received by type, each table's grand total, the key
        # figures) stay visible unless small themselves: hidden only when nothing else can
        # protect a small number.
        current = year_label(report.year)
        self.headline = {
            self.rep[c]
            for c in self.cells
            if c[0] == "key_figures"
            or (c[1] == "total" and (c[2] in ("total", "count") or c[0] == "received_by_quarter"))
            or (c[0] == "received_by_year" and c[1] == current)
        }

    def _find(self, x: CellId) -> CellId:
        while self._parent.get(x, x) != x:
            self._parent[x] = self._parent.get(self._parent[x], self._parent[x])
            x = self._parent[x]
        return x

    def _parts(self, kind: str) -> tuple[str | None, ...]:
        return ONTIME_PARTS if kind == ONTIME else (None,)

    def _cell(self, cid: CellId, value: float, money: bool = False) -> None:
        self.cells[cid] = value
        (self.money if money else self.counts).add(cid)
        self.row_cells[(cid[0], cid[1])].append(cid)

    def _table(self, t: Table) -> None:
        for row in t.rows:
            for col in t.columns:
                value = row.cells.get(col.key)
                if col.kind == ONTIME and isinstance(value, Mapping):
                    for name in ONTIME_PARTS:
                        v = value.get(name)
                        if isinstance(v, int):
                            self._cell((t.id, row.key, col.key, name), v)
                elif col.kind in (COUNT, POUNDS) and isinstance(value, int | float):
                    self._cell((t.id, row.key, col.key, None), value, col.kind == POUNDS)
        if t.row_total is not None:
            total_col = next((c for c in t.columns if c.key == t.row_total), None)
            if total_col is not None:
                members = [
                    c
                    for c in t.columns
                    if c.in_row_total and c.key != t.row_total and c.kind == total_col.kind
                ]
                for row in t.rows:
                    for part in self._parts(total_col.kind):
                        self.add(
                            [(t.id, row.key, c.key, part) for c in members],
                            (t.id, row.key, total_col.key, part),
                        )
        total_row = next((r for r in t.rows if r.kind == TOTAL), None)
        details = [r for r in t.rows if r.kind == DETAIL]
        for col in t.columns:
            if not col.adds_down or col.kind == MEAN:
                continue
            for part in self._parts(col.kind):
                if total_row is not None:
                    self.add(
                        [(t.id, r.key, col.key, part) for r in details],
                        (t.id, total_row.key, col.key, part),
                    )
                for sub in (r for r in t.rows if r.kind == SUBTOTAL):
                    self.add(
                        [(t.id, r.key, col.key, part) for r in details if r.group == sub.key],
                        (t.id, sub.key, col.key, part),
                    )

    def add(self, members: Iterable[CellId], total: CellId) -> None:
        """A sum; a sum of one figure says two cells print the same figure."""
        members = tuple(m for m in members if m in self.cells)
        if total not in self.cells or not members:
            return
        if len(members) == 1 and self.cells[members[0]] == self.cells[total]:
            a, b = self._find(members[0]), self._find(total)
            if a != b:
                self._parent[max(a, b, key=str)] = min(a, b, key=str)
            return
        self._raw.append((members, total))

    def _columns(self, table_id: str) -> list[str]:
        t = self.tables.get(table_id)
        return [c.key for c in t.columns] if t else []

    def _links(self, report: Report) -> None:
        """Figures one table shares with another: an attacker would use them too."""
        q, m = "received_by_quarter", "received_by_month"
        received = self._columns(q)
        months_of: dict[str, list[str]] = defaultdict(list)
        for month in self._row_keys(m):
            if month != "total":
                mon = int(month.split("-")[1])
                months_of[f"Q{((mon - 4) % 12) // 3 + 1}"].append(month)
        for col in received:
            for quarter, months in months_of.items():
                self.add([(m, month, col, None) for month in months], (q, quarter, col, None))
            self.add([(m, "total", col, None)], (q, "total", col, None))
            self.add(
                [(q, "total", col, None)], ("received_by_year", year_label(report.year), col, None)
            )

        def same(cell: CellId, col: str) -> None:
            self.add([cell], (q, "total", col, None))

        ot, od = "on_time_by_quarter", "on_time_by_division"
        # On the received basis the outcome tables count the year's received stages; on
        # the concluded basis they count other stages, and share no figure with receipts.
        on_receipt = report.basis != CONCLUDED
        for col in self._columns(ot):
            if col != "total" and on_receipt:
                for row in ("Q1", "Q2", "Q3", "Q4", "total"):
                    self.add([(ot, row, col, "total")], (q, row, col, None))
                same(("timeliness_bands", col, "total", None), col)
            for part in ONTIME_PARTS:
                self.add([(od, "total", col, part)], (ot, "total", col, part))
        self.add([("timeliness_bands", "total", "total", None)], (ot, "total", "total", "total"))

        for col in set(received) & {*COMPLAINT_COLUMNS, "lgsco"}:
            if on_receipt:
                self.add(
                    [
                        ("outcomes_by_stage", "total", col, None),
                        ("outcomes_by_stage", "open", col, None),
                    ],
                    (q, "total", col, None),
                )
            for tid in ("complainant_types", "advocacy", "channels", "themes"):
                same((tid, "total", col, None), col)
        for tid in ("advocacy", "channels", "themes"):
            self.add([(tid, "total", "total", None)], ("complainant_types", "total", "total", None))
        for col in ("statutory_1", "corporate_1"):
            same(("by_service", "total", col, None), col)
            same(("reopened_and_repeat", "total", col, None), col)
        for proc in ("statutory", "corporate"):
            for n in (2, 3):
                # the escalation row of Stage n holds the Stage n-1 stages received
                same(("escalation", f"{proc}_{n}", "previous", None), f"{proc}_{n - 1}")
                self.add(
                    [
                        ("escalation", f"{proc}_{n}", "accepted", None),
                        ("escalation", f"{proc}_{n}", "withdrawn", None),
                    ],
                    (q, "total", f"{proc}_{n}", None),
                )
        # the key figures repeat figures printed elsewhere: one figure, hidden in both
        for row in self._row_keys("key_figures"):
            if row in received:
                same(("key_figures", row, "this_year", None), row)
            elif row.startswith("worked_on:"):
                col = row.partition(":")[2]
                self.add(
                    [("key_figures", row, "this_year", None)],
                    ("carried_forward", col, "worked_on", None),
                )
        for row in self._row_keys("key_rates"):
            kind, _, col = row.partition(":")
            k = ("key_rates", row, "this_year")
            if kind == "on_time":
                for part in ONTIME_PARTS:
                    self.add([(*k, part)], (ot, "total", col, part))
            elif kind == "upheld":
                o = "outcomes_by_stage"
                self.add(
                    [(o, "upheld", col, None), (o, "partially_upheld", col, None)], (*k, "on_time")
                )
                self.add([(o, "total", col, None)], (*k, "total"))
            elif kind == "progression":
                self.add([("escalation", f"{col}_2", "progressed", None)], (*k, "on_time"))
                self.add([("escalation", f"{col}_2", "previous", None)], (*k, "total"))
        same(("compliments_by_service", "total", "count", None), "compliment")
        same(("duty_by_category", "total", "count", None), "duty")
        for key in self._row_keys("duty_by_category"):
            self.add(
                [("duty_by_service", "total", key, None)], ("duty_by_category", key, "count", None)
            )

    def _row_keys(self, table_id: str) -> list[str]:
        t = self.tables.get(table_id)
        return [r.key for r in t.rows] if t else []
