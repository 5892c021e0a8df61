"""Finding the header of a sheet, and reading several sheets of a workbook as one log.

Teams often keep a sheet a year ("2023-24", "2024-25"), with a case's Stage 1 on one and its
Stage 2 on the next: imported sheet by sheet, the second would be refused (its cases are
already in the database). Read together, the sheets are one file: each with its own title
rows and header, its cells put in the first sheet's order, its rows numbered so that a
problem names the sheet and the row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from .layout import HEADER_SEARCH, Layout, header_score, resolve
from .mapping import Mapping
from .problems import SHEET_STRIDE, Problems
from .sources import open_source

Numbered = Iterator[tuple[int, list[Any]]]


def find_header(rows: Numbered, mapping: Mapping) -> tuple[list[tuple[int, list[Any]]], int]:
    """The first non-empty rows (up to HEADER_SEARCH) and which of them is the header: the
    row most like one (title rows above it are not data); the first when none is."""
    peeked: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        if any(c is not None and c != "" for c in cells):
            peeked.append((number, cells))
            if len(peeked) >= HEADER_SEARCH:
                break
    if not peeked:
        return peeked, -1
    best = max(range(len(peeked)), key=lambda i: (header_score(peeked[i][1], mapping), -i))
    if header_score(peeked[best][1], mapping) == 0:
        best = 0
    return peeked, best


@dataclass
class Sheets:
    layout: Layout
    rows: Numbered
    total: int | None
    read: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """Sheets left out because nothing on them reads as a header (every sheet asked for)."""


def several_sheets(
    path: Path, names: Sequence[str], mapping: Mapping, problems: Problems, *, every: bool
) -> Sheets | None:
    """The rows of the sheets ``names`` after their headers, as one file; None (with
    problems saying why) if they cannot be read together. With ``every``, a sheet without
    a header (notes, a chart's data) is left out and listed, not refused."""
    first: Layout | None = None
    first_name = ""
    parts: list[Numbered] = []
    read: list[str] = []
    problems.sheets = read  # the k-th sheet read is numbered from k * SHEET_STRIDE
    unread: list[str] = []
    total: int | None = 0
    for name in names:
        source = open_source(path, name)
        peeked, best = find_header(source.rows, mapping)
        if best < 0 or header_score(peeked[best][1], mapping) == 0:
            source.rows.close()  # type: ignore[attr-defined]  # closes the workbook
            if every:
                unread.append(name)
            else:
                problems.add(0, "sheet", f"'{name}' has no header row of ours")
            continue
        offset = len(read) * SHEET_STRIDE
        read.append(name)
        line, header = peeked[best]
        layout = resolve(offset + line, header, mapping, problems)
        if first is None:
            first, first_name = layout, name
        elif set(layout.index) != set(first.index):
            problems.add(offset + line, "header", _differs(layout, first, first_name))
        total = None if total is None or source.total is None else total + source.total
        cells = [(layout.index[c], first.index[c]) for c in first.index if c in layout.index]
        parts.append(_renumbered(chain(peeked[best + 1 :], source.rows), offset, cells))
    if first is None:
        if every:
            problems.add(0, "sheet", "no sheet of the workbook has a header row of ours")
        return None
    if problems:
        return None
    return Sheets(first, chain.from_iterable(parts), total, read, unread)


def _renumbered(rows: Numbered, offset: int, cells: list[tuple[int, int]]) -> Numbered:
    """A sheet's rows numbered after the sheets before it, each cell moved to the place
    the first sheet's header gives its column."""
    if all(mine == theirs for mine, theirs in cells):
        for number, values in rows:
            yield offset + number, values
        return
    width = max(theirs for _, theirs in cells) + 1
    for number, values in rows:
        placed: list[Any] = [None] * width
        for mine, theirs in cells:
            if mine < len(values):
                placed[theirs] = values[mine]
        yield offset + number, placed


def _differs(layout: Layout, first: Layout, first_name: str) -> str:
    extra = [layout.heading(c) for c in layout.index if c not in first.index]
    missing = [first.heading(c) for c in first.index if c not in layout.index]
    said = []
    if extra:
        said.append(f"has {', '.join(repr(h) for h in extra)}")
    if missing:
        said.append(f"lacks {', '.join(repr(h) for h in missing)}")
    return (
        f"this sheet {' and '.join(said)}, unlike sheet '{first_name}': "
        "sheets read together need the same columns"
    )
