"""Suppression of small numbers, for a report that will be published.

Small counts can identify a child. With ``below=5`` every count from 1 to 4 is shown as
"<5" (primary suppression), and then further cells are hidden, shown as "*" (secondary
suppression), until no hidden count can be worked out from what is still shown:

- exactly, by adding and subtracting rows, columns, subtotals and the figures the tables
  share with each other (the months add up to the quarters, every table of complaints by
  who/how shares its totals with the received tables, ...): a hidden cell is recoverable
  when it is fixed by that system of equations, which is checked by exact elimination;
- or by bounds: a "<5" is between 1 and 4 and a "*" is 5 or more (zero is never hidden as
  "*"), and those bounds, pushed through the same equations, must not pin any hidden cell
  to a single value.

It works on the Report data, so the text, HTML and JSON outputs hide the same cells.
Averages and money in a row with a hidden count are hidden too: they could reveal it.
"""

from __future__ import annotations

import contextlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

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

SECONDARY = "*"

MAX_ATTEMPTS = 2
"""Tries at hiding more to protect one figure before its disclosure is taken as
inherent in the notation."""

_INF = math.inf


@dataclass(frozen=True)
class _Line:
    """The members add up to the total."""

    members: tuple[CellId, ...]
    total: CellId

    @property
    def cells(self) -> tuple[CellId, ...]:
        return (*self.members, self.total)


class _Grid:
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
        self.lines: list[_Line] = []
        for members, total in self._raw:
            key = (tuple(sorted((self.rep[m] for m in members), key=str)), self.rep[total])
            if key in seen or key[0] == (key[1],):
                continue
            seen.add(key)
            self.lines.append(_Line(*key))
        self.lines_of: dict[CellId, list[_Line]] = defaultdict(list)
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


# -- recoverability ---------------------------------------------------------------------------

Equation = tuple[dict[CellId, int], float]
"""Coefficients of hidden cells, and the figure they add up to from what is shown."""

_P = (1 << 61) - 1
"""A large prime: elimination modulo it is fast and, for sums of counts, gives the same
answer as exact arithmetic (the final check repeats it with fractions to be sure)."""


def _equations(grid: _Grid, hidden: Mapping[CellId, str], lines: Iterable[_Line]) -> list[Equation]:
    out = []
    for line in lines:
        coef: dict[CellId, int] = {}
        rhs = 0.0
        for cid, sign in [(m, 1) for m in line.members] + [(line.total, -1)]:
            if cid in hidden:
                coef[cid] = coef.get(cid, 0) + sign
            else:
                rhs -= sign * grid.values[cid]
        coef = {k: v for k, v in coef.items() if v}
        if coef:
            out.append((coef, rhs))
    return out


def _determined(equations: Sequence[Equation], exact: bool = False) -> set[CellId]:
    """Hidden cells whose value the equations fix (Gauss-Jordan elimination: a cell is
    fixed when its pivot row has no free cell left)."""
    names = sorted({k for coef, _ in equations for k in coef}, key=str)
    index = {k: i for i, k in enumerate(names)}
    one: Fraction | int = Fraction(1) if exact else 1

    def inverse(v: Fraction | int) -> Fraction | int:
        return Fraction(1) / v if exact else pow(int(v), _P - 2, _P)

    def norm(v: Fraction | int) -> Fraction | int:
        return v if exact else int(v) % _P

    pivots: dict[int, dict[int, Fraction | int]] = {}
    for coef, _ in equations:
        row = {index[k]: norm(v * one) for k, v in coef.items()}
        for var in [v for v in row if v in pivots]:
            factor = row.get(var)
            if not factor:
                continue
            for k, v in pivots[var].items():
                nv = norm(row.get(k, 0) - factor * v)
                if nv:
                    row[k] = nv
                else:
                    row.pop(k, None)
        row = {k: v for k, v in row.items() if v}
        if not row:
            continue
        var = min(row)
        scale = inverse(row[var])
        row = {k: norm(v * scale) for k, v in row.items()}
        for other in pivots.values():
            factor = other.get(var)
            if factor:
                for k, v in row.items():
                    nv = norm(other.get(k, 0) - factor * v)
                    if nv:
                        other[k] = nv
                    else:
                        other.pop(k, None)
        pivots[var] = row
    return {names[var] for var, row in pivots.items() if len(row) == 1}


def _inherent(grid: _Grid, hidden: Mapping[CellId, str]) -> set[CellId]:
    """Small counts the "<N" marks alone give away, whatever else is hidden: with every
    other figure hidden (known only to be 0 or more), still pinned. Four "<5" adding up to
    a "<5" total are all 1. Hiding more cannot help these, so none is tried."""
    everything = {c: hidden.get(c, "secondary") for c in grid.values}
    wide = _equations(grid, everything, grid.lines)
    return _pinned(wide, everything, grid, zero_or_more=True)


def _pinned(
    equations: Sequence[Equation],
    hidden: Mapping[CellId, str],
    grid: _Grid,
    zero_or_more: bool = False,
) -> set[CellId]:
    """Hidden cells that bounds, pushed through the equations, fix to a single value.

    A "<5" is 1 to 4; a hidden count of 5 or more is known to be at least 5 (it would
    otherwise show "<5"); money is at least 0.
    """
    below = grid.below
    cells = {k for coef, _ in equations for k in coef}
    lo: dict[CellId, float] = {}
    hi: dict[CellId, float] = {}
    for cid in cells:
        if hidden[cid] == "primary":
            lo[cid], hi[cid] = 1, below - 1
        elif cid in grid.is_count and grid.values[cid] >= below and not zero_or_more:
            lo[cid], hi[cid] = below, _INF
        else:
            lo[cid], hi[cid] = 0, _INF
    of_cell: dict[CellId, list[int]] = defaultdict(list)
    for i, (coef, _) in enumerate(equations):
        for var in coef:
            of_cell[var].append(i)
    # a worklist: an equation is looked at again only when one of its bounds moved
    todo = list(range(len(equations)))
    queued = set(todo)
    steps = 0
    while todo and steps < 200 * len(equations):
        steps += 1
        i = todo.pop()
        queued.discard(i)
        coef, rhs = equations[i]
        # bounds of the whole left side, with infinities counted apart so one cell's
        # own part can be taken out again
        low = high = 0.0
        n_low_inf = n_high_inf = 0
        parts = []
        for var, a in coef.items():
            x, y = a * lo[var], a * hi[var]
            p_lo, p_hi = min(x, y), max(x, y)
            parts.append((var, a, p_lo, p_hi))
            if p_lo == -_INF:
                n_low_inf += 1
            else:
                low += p_lo
            if p_hi == _INF:
                n_high_inf += 1
            else:
                high += p_hi
        for var, a, p_lo, p_hi in parts:
            if n_low_inf - (p_lo == -_INF) > 0:
                rest_lo = -_INF
            else:
                rest_lo = low - (0 if p_lo == -_INF else p_lo)
            if n_high_inf - (p_hi == _INF) > 0:
                rest_hi = _INF
            else:
                rest_hi = high - (0 if p_hi == _INF else p_hi)
            b1, b2 = (rhs - rest_hi) / a, (rhs - rest_lo) / a
            new_lo, new_hi = min(b1, b2), max(b1, b2)
            if var in grid.is_count:
                new_lo = math.ceil(new_lo - 1e-9) if math.isfinite(new_lo) else new_lo
                new_hi = math.floor(new_hi + 1e-9) if math.isfinite(new_hi) else new_hi
            moved = False
            if new_lo > lo[var] + 1e-9:
                lo[var], moved = new_lo, True
            if new_hi < hi[var] - 1e-9:
                hi[var], moved = new_hi, True
            if moved:
                for j in of_cell[var]:
                    if j != i and j not in queued:
                        queued.add(j)
                        todo.append(j)
    # "<2" is already exactly 1: only a narrowing the bounds add counts as a leak
    return {
        c for c in cells if hi[c] - lo[c] < 1e-9 and not (hidden[c] == "primary" and below == 2)
    }


def _component(grid: _Grid, hidden: Mapping[CellId, str], start: CellId) -> list[Equation]:
    """The equations linking ``start`` to other hidden figures, directly or not."""
    todo, seen = [start], {start}
    lines: dict[int, _Line] = {}
    while todo:
        cid = todo.pop()
        for line in grid.lines_of.get(cid, ()):
            if id(line) in lines:
                continue
            lines[id(line)] = line
            for other in (*line.members, line.total):
                if other in hidden and other not in seen:
                    seen.add(other)
                    todo.append(other)
    return _equations(grid, hidden, lines.values())


def _unsafe(
    grid: _Grid, hidden: Mapping[CellId, str], equations: Sequence[Equation], exact: bool
) -> set[CellId]:
    """Protected figures (small counts, money beside them) the equations give away."""
    found = _determined(equations, exact) | _pinned(equations, hidden, grid)
    return {c for c in found if hidden[c] != "secondary"}


def _leaks(
    grid: _Grid,
    hidden: Mapping[CellId, str],
    exact: bool,
    accepted: set[CellId],
    safe: set[frozenset[CellId]],
) -> list[CellId]:
    """The protected figures of the first group of linked unknowns that gives any away.

    ``safe`` remembers groups found safe: a group's equations change only when a figure
    in one of its sums is hidden, and then the group (its set of figures) changes too.
    """
    done: set[CellId] = set()
    for cid in sorted(hidden, key=str):
        if cid in done or hidden[cid] == "secondary":
            continue
        equations = _component(grid, hidden, cid)
        group = frozenset({k for coef, _ in equations for k in coef} | {cid})
        done |= group
        if group in safe:
            continue
        found = _unsafe(grid, hidden, equations, exact) - accepted
        if found:
            return sorted(found, key=str)
        safe.add(group)
    return []


def _candidates(grid: _Grid, hidden: Mapping[CellId, str], leak: CellId) -> list[CellId]:
    """Shown figures that share a sum with ``leak``, cheapest first to hide."""
    lines = grid.lines_of.get(leak, [])
    direct = [ln for ln in lines if sum(c in hidden for c in {*ln.members, ln.total}) == 1]
    pool = direct[:1] or lines
    cells = {c for ln in pool for c in (*ln.members, ln.total) if c not in hidden}
    if not cells:
        # every neighbour is hidden already: widen to the sums of those neighbours
        near = {c for ln in lines for c in (*ln.members, ln.total)}
        cells = {
            c
            for n in near
            for ln in grid.lines_of.get(n, [])
            for c in (*ln.members, ln.total)
            if c not in hidden
        }

    return sorted(cells, key=lambda c: _cost(grid, c))


def _cost(grid: _Grid, c: CellId) -> tuple[bool, bool, bool, bool, float, str]:
    v = grid.values[c]
    # Never zero if avoidable (a hidden zero is easy to guess); detail cells before totals;
    # a figure just at the threshold lets bounds pin its partner; then the smallest
    # figure, which loses least information.
    return (c in grid.headline, v == 0, c in grid.totals, v == grid.below, v, str(c))


def _fixes(
    grid: _Grid, hidden: Mapping[CellId, str], leak: CellId, extra: Iterable[CellId]
) -> bool:
    trial = {**hidden, **dict.fromkeys(extra, "secondary")}
    return leak not in _unsafe(grid, trial, _component(grid, trial, leak), exact=False)


def _choose(grid: _Grid, hidden: Mapping[CellId, str], leaks: Sequence[CellId]) -> list[CellId]:
    """Figures to hide next: the cheapest that make one of ``leaks`` safe.

    A figure may be given away through another hidden one (two "<5" column totals adding
    up to 2 are both 1), so each leak is tried in turn until one can be fixed.
    """
    for leak in leaks:
        fix = _fix(grid, hidden, leak)
        if fix:
            return fix
    # nothing makes any of them safe at once: hide a neighbour and look again
    return _candidates(grid, hidden, leaks[0])[:1]


def _fix(grid: _Grid, hidden: Mapping[CellId, str], leak: CellId) -> list[CellId]:
    """One figure beside ``leak`` whose hiding makes it safe, or else the classic
    rectangle: one figure in a sum with the leak, one in another of its sums, and the
    figure where sums of those two cross, so every sum has two unknowns to trade."""
    options = _candidates(grid, hidden, leak)
    for option in options[:8]:
        if _fixes(grid, hidden, leak, [option]):
            return [option]

    def shown(line: _Line) -> list[CellId]:
        cells = {*line.members, line.total} - {leak} - hidden.keys()
        return sorted(cells, key=lambda c: _cost(grid, c))[:8]

    def neighbours(cell: CellId, besides: _Line) -> set[CellId]:
        return {
            c
            for ln in grid.lines_of.get(cell, ())
            if ln is not besides
            for c in (*ln.members, ln.total)
            if c not in hidden
        }

    rectangles = []
    lines = grid.lines_of.get(leak, [])
    for i, first in enumerate(lines):
        for second in lines[i + 1 :]:
            for a in shown(first):
                near_a = neighbours(a, first)
                for b in shown(second):
                    if b == a:
                        continue
                    for c in near_a & neighbours(b, second):
                        if c not in (a, b, leak):
                            trio = (a, b, c)
                            # the dearest of the three decides
                            rectangles.append(
                                (sorted((_cost(grid, x) for x in trio), reverse=True), trio)
                            )
    rectangles.sort()
    for _, trio in rectangles[:8]:
        if _fixes(grid, hidden, leak, trio):
            return list(trio)
    return []


def _close_lines(grid: _Grid, hidden: dict[CellId, str]) -> None:
    """The classic rule, to a fixed point: no sum may have exactly one hidden figure.

    The partner chosen for a lone hidden figure is the one that leaves fewest new sums with
    a lone hidden figure of their own (so patterns close up into rectangles), then the
    cheapest.
    """

    def n_hidden(line: _Line) -> int:
        return sum(c in hidden for c in line.cells)

    queue = [ln for ln in grid.lines if n_hidden(ln) == 1]
    while queue:
        line = queue.pop()
        if n_hidden(line) != 1:
            continue
        options = [c for c in line.cells if c not in hidden]
        if not options:
            continue

        def opens(c: CellId, line: _Line = line) -> int:
            return sum(1 for ln in grid.lines_of[c] if ln is not line and n_hidden(ln) == 0)

        best = min(
            options,
            key=lambda c: (c in grid.headline, grid.values[c] == 0, opens(c), _cost(grid, c)),
        )
        hidden[best] = "secondary"
        queue.extend(ln for ln in grid.lines_of[best] if n_hidden(ln) == 1)


def suppress(report: Report, below: int) -> Report:
    """The report with counts from 1 to below-1 shown as "<below", and what would reveal
    them shown as "*"."""
    if below < 2:
        raise ValueError("suppression needs a threshold of at least 2")
    if report.previous is not None:
        # the year before is printed beside this one: hidden by the same rule, on its own
        previous = suppress(replace(report.previous, previous=None), below)
        report = _previous_in_key_tables(replace(report, previous=previous))
    grid = _Grid(report)
    grid.below = below
    hidden: dict[CellId, str] = {
        cid: "primary" for cid in grid.is_count if 1 <= grid.values[cid] < below
    }
    # Some inferences no hiding can stop: four "<5" adding up to a "<5" total are all 1,
    # whatever else is hidden. A figure still given away after a few tries is accepted.
    attempts: Counter[CellId] = Counter()
    accepted = _inherent(grid, hidden)
    safe_fast: set[frozenset[CellId]] = set()
    safe_exact: set[frozenset[CellId]] = set()
    while True:
        # money in a row with a hidden count would tell what the count is about
        for figures in grid.figures_of_row.values():
            if figures & hidden.keys():
                for cid in figures & grid.is_money:
                    hidden.setdefault(cid, "forced")
        _close_lines(grid, hidden)
        # the fast modular answer first; when it finds nothing, confirm with fractions
        leaks = _leaks(grid, hidden, False, accepted, safe_fast) or _leaks(
            grid, hidden, True, accepted, safe_exact
        )
        if not leaks:
            break
        leak = leaks[0]
        attempts[leak] += 1
        if attempts[leak] <= MAX_ATTEMPTS:
            choice = _choose(grid, hidden, [leak])
        elif attempts[leak] == MAX_ATTEMPTS + 1:
            # last resort: every shown figure in its sums
            choice = [
                c
                for ln in grid.lines_of.get(leak, ())
                for c in ln.cells
                if c not in hidden and grid.values[c]
            ]
        else:
            choice = []
        if not choice:
            accepted.add(leak)  # nothing left near it to hide, or hiding does not help
            continue
        for cid in choice:
            hidden[cid] = "secondary"
    return _apply(report, grid, hidden, below, len(accepted))


def _previous_in_key_tables(report: Report) -> Report:
    """The key tables' column for the year before, as the suppressed year before shows it."""
    prev = report.previous
    if prev is None:
        return report
    source = {
        "key_figures": lambda row: ("received_by_quarter", "total", row),
        "key_rates": lambda row: (
            ("on_time_by_quarter", "total", row.partition(":")[2])
            if row.startswith("on_time:")
            else None
        ),
    }
    tables = []
    for t in report.tables:
        if t.id not in source or not any(c.key == "previous_year" for c in t.columns):
            tables.append(t)
            continue
        rows = []
        for row in t.rows:
            where = source[t.id](row.key)
            cells = dict(row.cells)
            if where is not None:
                with contextlib.suppress(KeyError, StopIteration):
                    cells["previous_year"] = prev.table(where[0]).cell(where[1], where[2])
            elif isinstance(cells.get("previous_year"), Mapping) or t.id == "key_figures":
                # a figure the year before's tables do not print: hidden when small
                cells["previous_year"] = _small(cells.get("previous_year"), prev.suppressed_below)
            rows.append(replace(row, cells=cells))
        tables.append(replace(t, rows=tuple(rows)))
    return replace(report, tables=tuple(tables))


def _small(value: object, below: int | None) -> object:
    if below is None:
        return value
    if isinstance(value, Mapping):
        return {k: _small(v, below) for k, v in value.items()}
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value < below:
        return f"<{below}"
    return value


def _apply(
    report: Report, grid: _Grid, hidden: Mapping[CellId, str], below: int, exposed: int = 0
) -> Report:
    mark = {"primary": f"<{below}", "secondary": SECONDARY, "forced": SECONDARY}

    def why(cid: CellId) -> str:
        return hidden.get(grid.rep.get(cid, cid), "")

    rows_hidden = {row for row, figures in grid.figures_of_row.items() if figures & hidden.keys()}
    tables = []
    for t in report.tables:
        rows = []
        for row in t.rows:
            cells = dict(row.cells)
            for col in t.columns:
                value = cells.get(col.key)
                if col.kind == ONTIME and isinstance(value, Mapping):
                    cells[col.key] = {
                        part: mark.get(why((t.id, row.key, col.key, part)), v)
                        for part, v in value.items()
                    }
                elif col.kind == MEAN:
                    if (t.id, row.key) in rows_hidden and value is not None:
                        cells[col.key] = SECONDARY
                else:
                    reason = why((t.id, row.key, col.key, None))
                    if reason:
                        cells[col.key] = mark[reason]
            rows.append(replace(row, cells=cells))
        tables.append(replace(t, rows=tuple(rows)))
    notes = [
        f"To protect the people concerned, numbers from 1 to {below - 1} are shown as "
        f"'<{below}', and figures marked '{SECONDARY}' are hidden so that those numbers "
        "cannot be worked out from totals or from other tables."
    ]
    if exposed:
        notes.append(
            f"Check before publishing: {exposed} small number(s) can still be narrowed to "
            f"one value from the '<{below}' marks themselves (for example several '<{below}' "
            f"adding up to a '<{below}' total); consider combining rows."
        )
    return replace(
        report, tables=tuple(tables), notes=(*report.notes, *notes), suppressed_below=below
    )
