"""Rows into cases as they are read, holding only the cases not yet complete.

Rows sharing a reference are the stages of one case, in any order. A team's file lists a
case's stages together or near each other, so a case is taken as complete once WINDOW
other references have been met after it: the rows held at once are a few thousand, however
long the file. A file whose stages lie further apart is read again with the count of each
reference's rows taken first (``counted_references``), so each case is complete when its
last row is read: still exact, at the cost of one more read.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable

from .cells import cell_text
from .problems import Problems
from .rows import Row

WINDOW = 2000
"""References held open at once when the count of each reference's rows is not known."""


class Scattered(Exception):
    """A reference met again after its case was taken as complete."""


class Grouper:
    """Collects rows into cases; ``add`` gives back the cases it completes."""

    def __init__(self, counts: dict[str, int] | None = None) -> None:
        self.counts = counts
        self.open: dict[str, list[Row]] = {}
        self.closed: set[str] = set()
        """References of cases given back (window mode): one met again is Scattered."""
        self.order: deque[str] = deque()
        """The open references, oldest first (window mode). Not ``next(iter(self.open))``:
        a dict's iterator steps over the slots of every key deleted since it last grew, so
        finding the oldest cost up to WINDOW steps a row."""

    def add(self, row: Row) -> list[list[Row]]:
        reference = row.reference
        group = self.open.get(reference)
        if group is None:
            if reference in self.closed:
                raise Scattered(reference)
            group = self.open[reference] = [row]
            if self.counts is None:
                self.order.append(reference)
        else:
            group.append(row)
        if self.counts is not None:
            if len(group) >= self.counts.get(reference, 1):
                del self.open[reference]
                return [group]
            return []
        if len(self.open) > WINDOW:
            oldest = self.order.popleft()
            self.closed.add(oldest)
            return [self.open.pop(oldest)]
        return []

    def finish(self) -> list[list[Row]]:
        groups = list(self.open.values())
        self.open.clear()
        self.order.clear()
        return groups


def without_repeats(group: list[Row], problems: Problems, heading: str) -> list[Row]:
    """The case's rows, a stage given twice refused on the row that repeats it."""
    if len(group) == 1:
        return group
    first: dict[tuple[str, int], int] = {}
    kept = []
    for row in group:
        key = (row.stage.procedure, row.stage.number)
        if key in first:
            label = f"{row.reference} {key[0]} stage {key[1]}"
            again = f"{label} already appears on {problems.where(first[key])}"
            problems.add(row.line, heading, again)
        else:
            first[key] = row.line
            kept.append(row)
    return kept


def counted_references(
    rows: Iterable[tuple[int, list[object]]], at: int, quoted: bool
) -> Counter[str]:
    """How many rows each reference has (the rows after the header)."""
    counts: Counter[str] = Counter()
    for _, cells in rows:
        if at < len(cells):
            reference = cell_text(cells[at], quoted)
            if reference:
                counts[reference] += 1
    return counts
