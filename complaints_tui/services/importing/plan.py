"""What an import found: a checked file (``Plan``: what would be stored, or why it cannot
be) and a stored one (``Imported``). ``importer`` fills them; the command, the Import
screen and ``summary`` read them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .mapping import NO_MAPPING, Mapping
from .problems import ImportRefused, Problem

if TYPE_CHECKING:
    from .layout import Layout
    from .rows import Row

DIFFERING_LISTED = 20
"""Differences between a case's rows listed one per line; past these, a count."""


@dataclass(frozen=True)
class Imported:
    stages: int
    cases: int
    after_today: int
    """Rows dated after today: imported (a file may plan ahead), and reported."""
    sheet: str | None = None
    """The workbook's sheet that was read (the first, when several were)."""
    read_sheets: list[str] = field(default_factory=list)
    """The sheets read together, when several were."""
    unread_sheets: list[str] = field(default_factory=list)
    """The workbook's other sheets, which were not read."""
    differing: tuple[Problem, ...] = ()
    """Case-wide values a later stage's row gave differently (the first row's was kept),
    the first DIFFERING_LISTED of them; ``differing_count`` in all."""
    differing_count: int = 0


@dataclass
class Plan:
    """A checked file: what would be stored, or why it cannot be."""

    path: Path
    mapping: Mapping = NO_MAPPING
    requested_sheet: str | None = None
    """The sheet asked for (None: the mapping's, or the first)."""
    requested_sheets: tuple[str, ...] = ()
    """Several sheets asked for, read together as one file."""
    every_sheet: bool = False
    """Every sheet with a header of ours, read together."""
    watch: Callable[[list[Any]], None] | None = None
    """Called with each row's cells after the header, as the file is read."""
    unit: str = "line"
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    """Every sheet of the workbook (none for a CSV)."""
    read_sheets: list[str] = field(default_factory=list)
    """The sheets read together (none: one sheet, ``sheet``)."""
    layout: Layout | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    cases: int = 0
    stages: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    """Stages to create by kind ('Statutory 1', 'MP enquiry'), in the order first met."""
    preview: list[Row] = field(default_factory=list)
    """The first rows as they would be stored."""
    after_today: int = 0
    total: int | None = None
    """About how many rows the file has, for progress (None: not known)."""
    differing: list[Problem] = field(default_factory=list)
    """A case's later stage's row giving a case-wide value (the officer, the service...)
    differently from its first row, whose value is kept: the first DIFFERING_LISTED."""
    differing_count: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def refusal(self) -> ImportRefused:
        return ImportRefused(self.problems, self.problem_count)

    def imported(self) -> Imported:
        return Imported(
            self.stages,
            self.cases,
            self.after_today,
            self.sheet,
            self.read_sheets,
            self.unread_sheets,
            tuple(self.differing),
            self.differing_count,
        )

    @property
    def unread_sheets(self) -> list[str]:
        """The workbook's sheets other than the one read: a team keeping a sheet a year
        must hear that only one was imported."""
        read = self.read_sheets or [self.sheet]
        return [name for name in self.sheets if name not in read]

    def again(self) -> Plan:
        """A plan to read the same file, sheets and mapping afresh."""
        return Plan(
            self.path,
            self.mapping,
            self.requested_sheet,
            self.requested_sheets,
            self.every_sheet,
            self.watch,
        )
