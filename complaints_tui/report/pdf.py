"""The report as a PDF a council can table: A4 portrait, the council's name in the header,
page numbers, charts beside the tables the published reports chart, and tables that never
leave their header behind (a table's title moves to the next page with its first rows, and
a table running onto another page repeats its header row there).

fpdf2 is pure Python: nothing to install beside the package. Its built-in Helvetica
covers Latin-1 only, so the few other characters the report uses are spelt plainly.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from fpdf import FPDF
from fpdf.fonts import FontFace

from complaints_tui.domain.report import DETAIL, MEMO, SUBTOTAL, TOTAL, Report, Table

from .layout import LISTED, Block, blocks, decided, heading, is_number, listed, previous_table

PDF_WIDTH = 112
"""Characters across the table area at 7.5 point: the layout fits tables to this."""

PAGE_MARGIN = 12.0
TEXT_WIDTH = 210.0 - 2 * PAGE_MARGIN
KEEP_WITH_TITLE = 40.0
"""Millimetres a table's title needs below it (its header and first rows) to start a page."""

LIST_CHARS = 175
"""Characters a line of a listed table holds at 7.5 point across the page (with room)."""

BAR = (74, 111, 165)
TRACK = (230, 233, 239)

_PLAIN = str.maketrans(
    {"–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "...", "─": "-"}
)


def plain(text: str) -> str:
    """Text Helvetica can draw: Latin-1, the rest spelt plainly."""
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class _Document(FPDF):
    def __init__(self, header_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.header_text = plain(header_text)
        self.set_margins(PAGE_MARGIN, 16, PAGE_MARGIN)
        self.set_auto_page_break(auto=True, margin=16)
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_y(7)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(TEXT_WIDTH, 4, self.header_text, align="L")
        self.ln(6)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(TEXT_WIDTH, 4, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _room(pdf: FPDF) -> float:
    return pdf.h - pdf.b_margin - pdf.get_y()


def _title(pdf: FPDF, text: str, size: float = 11.5) -> None:
    if _room(pdf) < KEEP_WITH_TITLE:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", size)
    pdf.multi_cell(TEXT_WIDTH, size * 0.5, plain(text), align="L")
    pdf.ln(1)


def _paragraph(pdf: FPDF, text: str, size: float = 8.5, style: str = "") -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(TEXT_WIDTH, size * 0.45, plain(text), align="L")


def _table(pdf: FPDF, block: Block) -> None:
    total = sum(block.widths) + 2 * (len(block.widths) - 1)
    widths = [TEXT_WIDTH * (w + (2 if i else 0)) / total for i, w in enumerate(block.widths)]
    align = ["LEFT"] + ["RIGHT"] * (len(widths) - 1)
    pdf.set_font("Helvetica", "", 7.5)
    with pdf.table(
        col_widths=widths,
        text_align=align,
        borders_layout="HORIZONTAL_LINES",
        line_height=3.6,
        repeat_headings=1,
        headings_style=FontFace(emphasis="BOLD"),
        width=TEXT_WIDTH,
        align="LEFT",
        padding=(0.4, 0.8, 0.4, 0.8),
    ) as table:
        header = table.row()
        for text in block.headers:
            header.cell(plain(text))
        for cells, kind in zip(block.rows, block.kinds, strict=True):
            style = None
            if kind in (TOTAL, SUBTOTAL):
                style = FontFace(emphasis="BOLD")
            elif kind == MEMO:
                style = FontFace(emphasis="ITALICS")
            row = table.row(style=style)
            for text in cells:
                row.cell(plain(text.strip() if text else ""))
    if block.note:
        pdf.ln(0.5)
        pdf.set_text_color(70, 70, 70)
        _paragraph(pdf, block.note, 7.5)
        pdf.set_text_color(0, 0, 0)


def _list(pdf: FPDF, table: Table) -> None:
    """A listed table: each service in bold, its items below (one text block a service,
    so thousands of items take a second, not a minute)."""
    _title(pdf, table.title)
    groups = listed(table)
    if not groups:
        _paragraph(pdf, "None recorded.")
    for service, items in groups:
        if _room(pdf) < 12:
            pdf.add_page()
        _paragraph(pdf, service, 8.5, "B")
        pdf.set_font("Helvetica", "", 7.5)
        for item in items:
            # wrapped here, drawn a line at a time: fpdf2's own line breaking is the slow
            # part of a list of thousands
            for line in textwrap.wrap(
                plain(item), LIST_CHARS, initial_indent="- ", subsequent_indent="   "
            ):
                pdf.cell(TEXT_WIDTH, 3.4, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    if table.note:
        pdf.set_text_color(70, 70, 70)
        _paragraph(pdf, table.note, 7.5)
        pdf.set_text_color(0, 0, 0)


# -- charts --------------------------------------------------------------------------------


def _columns_chart(pdf: FPDF, items: Sequence[tuple[str, float]], height: float = 34.0) -> None:
    """Vertical bars with their value above and label below."""
    if not items:
        return
    if _room(pdf) < height + 12:
        pdf.add_page()
    most = max((v for _, v in items), default=0) or 1
    x0, y0 = pdf.l_margin, pdf.get_y() + 2
    gap = 1.5
    width = (TEXT_WIDTH - gap * (len(items) - 1)) / len(items)
    pdf.set_font("Helvetica", "", 6.5)
    for n, (label, value) in enumerate(items):
        x = x0 + n * (width + gap)
        h = height * value / most
        pdf.set_fill_color(*BAR)
        pdf.rect(x, y0 + height - h, width, max(h, 0.3), style="F")
        pdf.set_xy(x, y0 + height - h - 3.2)
        pdf.cell(width, 3, f"{value:,.0f}", align="C")
        pdf.set_xy(x, y0 + height + 0.8)
        pdf.cell(width, 3, plain(label), align="C")
    pdf.set_draw_color(70, 70, 70)
    pdf.line(x0, y0 + height, x0 + TEXT_WIDTH, y0 + height)
    pdf.set_y(y0 + height + 5)


def _rows_chart(pdf: FPDF, items: Sequence[tuple[str, float, str]]) -> None:
    """Horizontal bars: (label, share 0-100, text beside)."""
    if not items:
        return
    if _room(pdf) < 4.2 * len(items) + 4:
        pdf.add_page()
    pdf.set_font("Helvetica", "", 7)
    label_w, value_w = 52.0, 30.0
    track_w = TEXT_WIDTH - label_w - value_w - 4
    y = pdf.get_y() + 1
    for label, share, text in items:
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_w, 3.4, plain(label)[:40])
        pdf.set_fill_color(*TRACK)
        pdf.rect(pdf.l_margin + label_w + 2, y + 0.3, track_w, 2.8, style="F")
        pdf.set_fill_color(*BAR)
        pdf.rect(pdf.l_margin + label_w + 2, y + 0.3, track_w * share / 100, 2.8, style="F")
        pdf.set_xy(pdf.l_margin + label_w + track_w + 4, y)
        pdf.cell(value_w, 3.4, plain(text), align="R")
        y += 4.2
    pdf.set_y(y + 2)


def _received_chart(pdf: FPDF, table: Table) -> None:
    items = [
        (r.label.split()[0] if table.id == "received_by_month" else r.key, r.cells.get("total"))
        for r in table.rows
        if r.kind == DETAIL
    ]
    shown = [(label, float(v)) for label, v in items if is_number(v)]
    if len(shown) == len(items):  # a hidden figure is not drawn as a bar of some height
        _columns_chart(pdf, shown)


def _outcomes_chart(pdf: FPDF, table: Table) -> None:
    rows = [r for r in table.rows if r.kind == DETAIL and is_number(r.cells.get("total"))]
    most = max((r.cells["total"] for r in rows), default=0) or 1
    whole = next((r.cells.get("total") for r in table.rows if r.key == "total"), 0)
    items = []
    for r in rows:
        v = r.cells["total"]
        if v:
            pct = f" ({100 * v / whole:.0f}%)" if is_number(whole) and whole else ""
            items.append((r.label, 100 * v / most, f"{v:,}{pct}"))
    _rows_chart(pdf, items)


def _on_time_chart(pdf: FPDF, table: Table) -> None:
    items = []
    for r in table.rows:
        cell = r.cells.get("total")
        if not isinstance(cell, Mapping) or not cell.get("total"):
            continue
        n, whole = cell.get("on_time"), decided(cell)
        if is_number(n) and is_number(whole) and whole:
            items.append((r.label, 100 * n / whole, f"{100 * n / whole:.0f}% ({n}/{whole})"))
    _rows_chart(pdf, items)


CHARTS = {
    "received_by_month": _received_chart,
    "received_by_quarter": _received_chart,
    "outcomes_by_stage": _outcomes_chart,
    "on_time_by_quarter": _on_time_chart,
}
"""The tables the published reports chart: a chart is drawn above each."""


def to_pdf(report: Report) -> bytes:
    """The whole report as PDF bytes."""
    title, *meta = heading(report)
    council = report.publisher.get("council")
    pdf = _Document(f"{council} - {title}" if council else title)
    pdf.set_title(plain(title))
    if council:
        pdf.set_author(plain(council))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(TEXT_WIDTH, 7, plain(title), align="L")
    pdf.ln(2)
    for line in meta:
        _paragraph(pdf, line, 9.5)
    _title(pdf, "Notes")
    for n, note in enumerate(report.notes, 1):
        _paragraph(pdf, f"{n}. {note}", 8.5)
        pdf.ln(0.8)
    for i, table in enumerate(report.tables):
        if i == 0:
            pdf.add_page()  # the key figures open the report proper
        if table.id in LISTED:
            _list(pdf, table)
            continue
        for n, block in enumerate(blocks(table, PDF_WIDTH, previous_table(report, table))):
            _title(pdf, block.title)
            if n == 0 and table.id in CHARTS:
                CHARTS[table.id](pdf, table)
            _table(pdf, block)
    return bytes(pdf.output())
