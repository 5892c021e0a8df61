"""What the import reports when it refuses a file: one line per problem."""

from __future__ import annotations

from dataclasses import dataclass, field

SHEET_STRIDE = 10_000_000
"""Rows of the k-th of several sheets are numbered k * SHEET_STRIDE + their row (Excel has
at most 1,048,576 rows a sheet): one number orders them, and says which sheet and row."""

MAX_LISTED = 100
"""Problems listed one per line; past these a file is refused with a count of the rest
(a million junk rows once printed 3.7 million lines and held them all in memory)."""


def sheet_row(line: int, sheets: list[str]) -> tuple[str | None, int]:
    """The sheet and row of the row numbered ``line`` (no sheet: one sheet, or a CSV)."""
    if not sheets or line <= 0:
        return None, line
    sheet, row = divmod(line, SHEET_STRIDE)
    return sheets[sheet], row


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str
    unit: str = "line"
    """"line" of a CSV, or "row" of a workbook as Excel numbers it."""
    sheet: str | None = None
    """The sheet, when several sheets of a workbook are imported together."""

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.column}: {self.reason}"
        return f"{self.where}, {self.column}: {self.reason}"

    @property
    def where(self) -> str:
        """'row 5', or "sheet '2024-25' row 5" when several sheets are read."""
        sheet = f"sheet '{self.sheet}' " if self.sheet is not None else ""
        return f"{sheet}{self.unit} {self.line}"


@dataclass
class Problems:
    """The problems found so far: the first MAX_LISTED of them, and how many in all."""

    unit: str = "line"
    listed: list[Problem] = field(default_factory=list)
    count: int = 0
    sheets: list[str] = field(default_factory=list)
    """The sheets read together, in their order (none: one sheet, or a CSV)."""

    def add(self, line: int, column: str, reason: str) -> None:
        self.count += 1
        if len(self.listed) < MAX_LISTED:
            self.listed.append(self.problem(line, column, reason))

    def problem(self, line: int, column: str, reason: str) -> Problem:
        sheet, row = sheet_row(line, self.sheets)
        return Problem(row, column, reason, self.unit, sheet)

    def where(self, line: int) -> str:
        """How a problem names the row numbered ``line``: 'row 5', "sheet 'X' row 5"."""
        return self.problem(line, "", "").where

    def __bool__(self) -> bool:
        return self.count > 0

    def sorted(self) -> list[Problem]:
        order = {name: at for at, name in enumerate(self.sheets)}
        return sorted(self.listed, key=lambda p: (order.get(p.sheet or "", 0), p.line))


class ImportRefused(Exception):
    """The file was refused whole; ``problems`` says why, one per line (the first
    MAX_LISTED of them), ``count`` how many there were in all."""

    def __init__(self, problems: list[Problem], count: int | None = None) -> None:
        self.count = len(problems) if count is None else count
        super().__init__(f"{self.count} problem(s); nothing imported")
        self.problems = problems

    @property
    def unlisted(self) -> int:
        return self.count - len(self.problems)
