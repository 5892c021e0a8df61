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
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from complaints_tui.domain.report import (
    MEAN,
    ONTIME,
    Report,
)

from . import suppress_solve as solve
from .suppress_grid import CellId, Grid, Line

SECONDARY = "*"

MAX_ATTEMPTS = 2
"""Tries at hiding more to protect one figure before its disclosure is taken as
inherent in the notation."""


def _candidates(grid: Grid, hidden: Mapping[CellId, str], leak: CellId) -> list[CellId]:
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


def _cost(grid: Grid, c: CellId) -> tuple[bool, bool, bool, bool, float, str]:
    v = grid.values[c]
    # Never zero if avoidable (a hidden zero is easy to guess); detail cells before totals;
    # a figure just at the threshold lets bounds pin its partner; then the smallest
    # figure, which loses least information.
    return (c in grid.headline, v == 0, c in grid.totals, v == grid.below, v, str(c))


def _fixes(grid: Grid, hidden: Mapping[CellId, str], leak: CellId, extra: Iterable[CellId]) -> bool:
    trial = {**hidden, **dict.fromkeys(extra, "secondary")}
    return leak not in solve.unsafe(grid, trial, solve.component(grid, trial, leak), exact=False)


def _choose(grid: Grid, hidden: Mapping[CellId, str], leaks: Sequence[CellId]) -> list[CellId]:
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


def _fix(grid: Grid, hidden: Mapping[CellId, str], leak: CellId) -> list[CellId]:
    """One figure beside ``leak`` whose hiding makes it safe, or else the classic
    rectangle: one figure in a sum with the leak, one in another of its sums, and the
    figure where sums of those two cross, so every sum has two unknowns to trade."""
    options = _candidates(grid, hidden, leak)
    for option in options[:8]:
        if _fixes(grid, hidden, leak, [option]):
            return [option]

    def shown(line: Line) -> list[CellId]:
        cells = {*line.members, line.total} - {leak} - hidden.keys()
        return sorted(cells, key=lambda c: _cost(grid, c))[:8]

    def neighbours(cell: CellId, besides: Line) -> set[CellId]:
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


def _close_lines(grid: Grid, hidden: dict[CellId, str]) -> None:
    """The classic rule, to a fixed point: no sum may have exactly one hidden figure.

    The partner chosen for a lone hidden figure is the one that leaves fewest new sums with
    a lone hidden figure of their own (so patterns close up into rectangles), then the
    cheapest.
    """

    def n_hidden(line: Line) -> int:
        return sum(c in hidden for c in line.cells)

    queue = [ln for ln in grid.lines if n_hidden(ln) == 1]
    while queue:
        line = queue.pop()
        if n_hidden(line) != 1:
            continue
        options = [c for c in line.cells if c not in hidden]
        if not options:
            continue

        def opens(c: CellId, line: Line = line) -> int:
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
    grid = Grid(report)
    grid.below = below
    hidden: dict[CellId, str] = {
        cid: "primary" for cid in grid.is_count if 1 <= grid.values[cid] < below
    }
    # Some inferences no hiding can stop: four "<5" adding up to a "<5" total are all 1,
    # whatever else is hidden. A figure still given away after a few tries is accepted.
    attempts: Counter[CellId] = Counter()
    accepted = solve.inherent(grid, hidden)
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
        leaks = solve.leaks(grid, hidden, False, accepted, safe_fast) or solve.leaks(
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
    report: Report, grid: Grid, hidden: Mapping[CellId, str], below: int, exposed: int = 0
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
