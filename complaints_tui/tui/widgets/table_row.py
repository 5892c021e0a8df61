"""One row of a virtual table: its columns, how it looks, and drawing it to a line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from complaints_tui.domain.printable import printable


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    """Width in cells (the least, for the flexible column)."""
    drop: int = 0
    """Narrow screens drop the columns with the highest ``drop`` first; 0 is never dropped."""
    flex: bool = False
    """Takes the width the other columns leave."""
    right: bool = False


@dataclass(frozen=True)
class RowView:
    """How one row looks: its cells, or one line of ``text`` across the table (a heading)."""

    cells: tuple[str, ...] = ()
    kind: str = ""
    """A style: overdue, soon, stopped, heading, muted (see COMPONENT_CLASSES)."""
    text: str | None = None


def fit_columns(columns: Sequence[Column], width: int) -> list[tuple[int, Column, int]]:
    """(index, column, width) of the columns that fit, the flexible one widened."""
    shown = list(enumerate(columns))

    def needed(cols: list[tuple[int, Column]]) -> int:
        return sum(c.width for _, c in cols) + max(0, len(cols) - 1)

    while needed(shown) > width:
        droppable = [(c.drop, i) for i, c in shown if c.drop]
        if not droppable:
            break
        _, drop = max(droppable)
        shown = [(i, c) for i, c in shown if i != drop]
    spare = max(0, width - needed(shown))
    out = []
    for i, c in shown:
        w = c.width + spare if c.flex else c.width
        out.append((i, c, w))
    return out


def draw_cells(
    layout: Sequence[tuple[int, Column, int]], cells: Sequence[str], width: int, style: Style
) -> Strip:
    """``cells`` laid out in the columns ``layout`` gives, as one line ``width`` wide."""
    parts = []
    for i, column, w in layout:
        # cells show outside text (names, summaries): never a control sequence
        value = printable(cells[i], one_line=True) if i < len(cells) else ""
        if cell_len(value) > w:
            value = set_cell_size(value, max(0, w - 1)) + "…" if w else ""
        pad = " " * (w - cell_len(value))
        parts.append(pad + value if column.right else value + pad)
    line = set_cell_size(" ".join(parts), width)
    return Strip([Segment(line, style)], width)
