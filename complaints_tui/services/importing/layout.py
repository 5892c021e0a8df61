"""Which cell of a row feeds each of our columns: the header, read with the mapping.

The header is the first row that reads as one (a workbook may have a title row or two
above it); each heading is placed by the mapping file, then by name or synonym. A heading
that fits nowhere, is repeated, or is missing for a required column is a problem naming it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..export_sheet import column_letter
from .columns import COLUMNS, EXPORT_ONLY, REQUIRED
from .mapping import Mapping
from .problems import Problems
from .words import match_heading, norm

HEADER_SEARCH = 10
"""Rows looked at for the header: titles and notes above it are skipped."""


@dataclass
class Layout:
    line: int
    """The header's line (CSV) or row (workbook)."""
    headings: list[str]
    """The team's headings as written, one per cell."""
    index: dict[str, int] = field(default_factory=dict)
    """Our column -> the cell that feeds it."""
    ignored: list[str] = field(default_factory=list)

    def heading(self, column: str) -> str:
        """The team's heading for our column, for a problem to name (ours if it has none)."""
        at = self.index.get(column)
        return self.headings[at] if at is not None else column


def heading_text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def header_score(cells: Sequence[Any], mapping: Mapping) -> int:
    """How many cells of a row read as headings of ours."""
    wanted = {norm(h) for h in mapping.columns.values()} | mapping.ignore
    score = 0
    for cell in cells:
        text = heading_text(cell)
        if text and (norm(text) in wanted or match_heading(text)):
            score += 1
    return score


def resolve(line: int, cells: Sequence[Any], mapping: Mapping, problems: Problems) -> Layout:
    """The layout of the header ``cells`` (on ``line``); problems added for its headings."""
    headings = [heading_text(c) for c in cells]
    layout = Layout(line, headings)
    by_norm: dict[str, int] = {}
    for at, heading in enumerate(headings):
        if not heading:
            continue  # columns without a heading (Excel's formatted, empty ones) are not read
        key = norm(heading)
        if key in by_norm:
            first = headings[by_norm[key]]
            problems.add(
                line,
                heading,
                f"repeated header column: '{heading}' is also column {column_letter(by_norm[key])}"
                + (f" ('{first}')" if first != heading else ""),
            )
            continue
        by_norm[key] = at
    for column, heading in mapping.columns.items():
        at = by_norm.get(norm(heading))
        if at is None:
            problems.add(
                line,
                heading,
                f"the mapping's heading for {column} is not in the header"
                + (f" of {mapping.source.name}" if mapping.source else ""),
            )
        else:
            layout.index[column] = at
    mapped = set(layout.index.values())
    for key, at in by_norm.items():
        if at in mapped:
            continue
        heading = headings[at]
        if key in mapping.ignore:
            layout.ignored.append(heading)
            continue
        column = match_heading(heading)
        if column is None:
            problems.add(
                line,
                heading,
                f"unknown column (expected: {', '.join(COLUMNS)}, or one of the export's; or "
                "say which of ours it is "
                "in a mapping file: --propose-mapping writes one)",
            )
        elif column in layout.index:
            problems.add(
                line,
                heading,
                f"repeated column: '{heading}' and '{layout.heading(column)}' both give "
                f"{column} (name one in a mapping file's [columns], ignore the other)",
            )
        else:
            layout.index[column] = at
    for column in EXPORT_ONLY:  # the export's computed columns are accepted and not read
        layout.index.pop(column, None)
    for column in REQUIRED:
        if column not in layout.index and not (column == "procedure" and "stage" in layout.index):
            problems.add(line, column, "required column is missing from the header")
    return layout
