"""The report as Rich tables: on screen, and as plain text for A4 portrait (96 columns)."""

from __future__ import annotations

import io
import textwrap

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from complaints_tui.domain.report import Report, Table

from .layout import LISTED, STYLE_OF_KIND, Block, blocks, heading, listed, previous_table

PAGE_WIDTH = 88
"""Characters across A4 portrait in a 10-point monospaced font, with margins (88 at 6 pt
a character is 186 mm: 12 mm margins each side of the 210 mm page)."""

PAGE_BREAK = "\f"
"""Between sections of the printed text: the notes, key figures, then each table."""


def render_block(block: Block) -> RichTable:
    """One block as a Rich table, at the widths the layout planned (labels wrap); the
    title and note are printed around it by ``render_blocks``."""
    table = RichTable(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        # one space before each column plus the box's one-space divider: the widths the
        # layout plans with
        padding=(0, 0, 0, 1),
        expand=False,
    )
    for i, (header, width) in enumerate(zip(block.headers, block.widths, strict=True)):
        table.add_column(header, justify="left" if i == 0 else "right", width=width)
    for row, kind in zip(block.rows, block.kinds, strict=True):
        table.add_row(*row, style=STYLE_OF_KIND.get(kind) or None)
    return table


def render_blocks(blocks_: list[Block]) -> list[RenderableType]:
    out: list[RenderableType] = []
    for block in blocks_:
        out.append(Text(""))
        # the title on its own line: as a table title Rich would wrap it to the table
        out.append(Text(block.title, style="bold"))
        out.append(render_block(block))
        if block.note:
            out.append(Text(block.note, style="dim"))
    return out


def render_list(table: Table, width: int) -> list[RenderableType]:
    """A listed table: its title, then each service in bold with its items as hanging
    bullets (thousands of items lay out in a fraction of a grid's time)."""
    out: list[RenderableType] = [Text(""), Text(table.title, style="bold")]
    for service, items in listed(table):
        out.append(Text(service, style="bold"))
        lines = []
        for item in items:
            lines.extend(textwrap.wrap(item, width, initial_indent="- ", subsequent_indent="  "))
        out.append(Text("\n".join(lines)))
    if not table.rows:
        out.append(Text("None recorded."))
    if table.note:
        out.append(Text(table.note, style="dim"))
    return out


def _table_renderables(report: Report, table: Table, width: int) -> list[RenderableType]:
    if table.id in LISTED:
        return render_list(table, width)
    return render_blocks(blocks(table, width, previous_table(report, table)))


def renderables(report: Report, width: int = PAGE_WIDTH) -> list[RenderableType]:
    """The whole report as Rich renderables, for the screen or for printing."""
    title, *rest = heading(report)
    out: list[RenderableType] = [Text(title, style="bold"), *(Text(line) for line in rest)]
    out.append(Text(""))
    out.append(Text("Notes", style="bold"))
    for n, note in enumerate(report.notes, 1):
        out.append(Text(f"{n}. {note}"))
    for table in report.tables:
        out.extend(_table_renderables(report, table, width))
    return out


def _sections(report: Report, width: int) -> list[list[RenderableType]]:
    """The heading and notes, then a section per table, for page breaks between them."""
    title, *rest = heading(report)
    first: list[RenderableType] = [Text(title, style="bold"), *(Text(line) for line in rest)]
    first.append(Text(""))
    first.append(Text("Notes", style="bold"))
    for n, note in enumerate(report.notes, 1):
        first.append(Text(f"{n}. {note}"))
    sections = [first]
    for table in report.tables:
        sections.append(_table_renderables(report, table, width))
    return sections


def to_text(report: Report, width: int = PAGE_WIDTH, *, page_breaks: bool = True) -> str:
    """Plain text, no colour codes, ready to print: at most ``width`` columns, a page
    break (form feed) before each section when ``page_breaks``."""
    parts = []
    for section in _sections(report, width):
        console = Console(
            file=io.StringIO(), width=width, record=True, color_system=None, force_terminal=False
        )
        console.print(Group(*section))
        lines = [line.rstrip() for line in console.export_text().splitlines()]
        while lines and not lines[0]:
            lines.pop(0)
        parts.append("\n".join(lines) + "\n")
    return (PAGE_BREAK if page_breaks else "\n").join(parts)
