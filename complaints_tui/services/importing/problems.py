"""What the import reports when it refuses a file: one line per problem."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_LISTED = 100
"""Problems listed one per line; past these a file is refused with a count of the rest
(a million junk rows once printed 3.7 million lines and held them all in memory)."""


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str
    unit: str = "line"
    """"line" of a CSV, or "row" of a workbook as Excel numbers it."""

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.column}: {self.reason}"
        return f"{self.unit} {self.line}, {self.column}: {self.reason}"


@dataclass
class Problems:
    """The problems found so far: the first MAX_LISTED of them, and how many in all."""

    unit: str = "line"
    listed: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(self, line: int, column: str, reason: str) -> None:
        self.count += 1
        if len(self.listed) < MAX_LISTED:
            self.listed.append(Problem(line, column, reason, self.unit))

    def __bool__(self) -> bool:
        return self.count > 0

    def sorted(self) -> list[Problem]:
        return sorted(self.listed, key=lambda p: p.line)


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
