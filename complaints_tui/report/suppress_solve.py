"""Suppression of small numbers: whether hidden figures can be worked out again from what
is shown, exactly (elimination) or by bounds, for ``suppress`` to hide more until not."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from .suppress_grid import CellId, Grid, Line

_INF = math.inf

# -- recoverability ---------------------------------------------------------------------------

Equation = tuple[dict[CellId, int], float]
"""Coefficients of hidden cells, and the figure they add up to from what is shown."""

_P = (1 << 61) - 1
"""A large prime: elimination modulo it is fast and, for sums of counts, gives the same
answer as exact arithmetic (the final check repeats it with fractions to be sure)."""


def _equations(grid: Grid, hidden: Mapping[CellId, str], lines: Iterable[Line]) -> list[Equation]:
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


def inherent(grid: Grid, hidden: Mapping[CellId, str]) -> set[CellId]:
    """Small counts the "<N" marks alone give away, whatever else is hidden: with every
    other figure hidden (known only to be 0 or more), still pinned. Four "<5" adding up to
    a "<5" total are all 1. Hiding more cannot help these, so none is tried."""
    everything = {c: hidden.get(c, "secondary") for c in grid.values}
    wide = _equations(grid, everything, grid.lines)
    return _pinned(wide, everything, grid, zero_or_more=True)


def _pinned(
    equations: Sequence[Equation],
    hidden: Mapping[CellId, str],
    grid: Grid,
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


def component(grid: Grid, hidden: Mapping[CellId, str], start: CellId) -> list[Equation]:
    """The equations linking ``start`` to other hidden figures, directly or not."""
    todo, seen = [start], {start}
    lines: dict[int, Line] = {}
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


def unsafe(
    grid: Grid, hidden: Mapping[CellId, str], equations: Sequence[Equation], exact: bool
) -> set[CellId]:
    """Protected figures (small counts, money beside them) the equations give away."""
    found = _determined(equations, exact) | _pinned(equations, hidden, grid)
    return {c for c in found if hidden[c] != "secondary"}


def leaks(
    grid: Grid,
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
        equations = component(grid, hidden, cid)
        group = frozenset({k for coef, _ in equations for k in coef} | {cid})
        done |= group
        if group in safe:
            continue
        found = unsafe(grid, hidden, equations, exact) - accepted
        if found:
            return sorted(found, key=str)
        safe.add(group)
    return []
