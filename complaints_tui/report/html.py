"""The report as one self-contained HTML file, printable on A4 portrait.

Everything is inline - styles and bar charts (plain CSS boxes) - so the file opens
anywhere, offline, and fetches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from complaints_tui.domain.report import DETAIL, Report, Table

from .layout import (
    Block,
    blocks,
    decided,
    heading,
    is_number,
    on_time,
    percent,
    previous_table,
)

HTML_WIDTH = 120
"""Characters across the page at the HTML's smaller print size: wider than the text."""

CSS = """
@page { size: A4 portrait; margin: 14mm 12mm 16mm;
        @bottom-center { content: "Page " counter(page) " of " counter(pages);
                         font: 8pt Arial, Helvetica, sans-serif; color: #444; } }
* { box-sizing: border-box; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 10pt; color: #111;
       max-width: 186mm; margin: 0 auto; padding: 6mm 0; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 11.5pt; margin: 7mm 0 1.5mm; break-after: avoid; }
p.meta { margin: 0.5mm 0; color: #333; }
ol.notes { font-size: 9pt; color: #333; padding-left: 5mm; }
section { break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; font-size: 8.5pt; margin: 1mm 0; }
th, td { padding: 0.6mm 1.6mm; vertical-align: bottom; }
thead th { border-bottom: 1px solid #444; font-weight: bold; text-align: right; }
thead th:first-child { text-align: left; }
td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td:first-child { text-align: left; white-space: normal; max-width: 70mm; }
tr.total td { font-weight: bold; border-top: 1px solid #444; }
tr.subtotal td { font-weight: bold; }
tr.memo td:first-child { font-style: italic; padding-left: 5mm; }
tr.indent td:first-child { padding-left: 5mm; }
p.note { font-size: 8pt; color: #444; margin: 0.5mm 0 0; max-width: 180mm; }
.chart { margin: 2mm 0 1mm; font-size: 8pt; }
.columns { display: flex; align-items: flex-end; gap: 1.5mm; height: 38mm;
           border-bottom: 1px solid #444; }
.columns .bar { flex: 1; display: flex; flex-direction: column; justify-content: flex-end;
                height: 100%; padding-top: 4mm; }
.columns .fill { position: relative; width: 100%; background: #4a6fa5; min-height: 0.3mm; }
.columns .value { position: absolute; bottom: 100%; left: 0; right: 0; text-align: center;
                  font-size: 7pt; margin-bottom: 0.5mm; }
.axis { display: flex; gap: 1.5mm; }
.axis span { flex: 1; text-align: center; font-size: 7pt; }
.rows { display: grid; grid-template-columns: 52mm 1fr 24mm; gap: 0.8mm 2mm;
        align-items: center; max-width: 180mm; }
.rows .track { background: #e6e9ef; height: 3.2mm; }
.rows .fill { background: #4a6fa5; height: 100%; }
.rows .value { text-align: right; font-variant-numeric: tabular-nums; }
@media print { body { padding: 0; } a { color: inherit; text-decoration: none; } }
"""


def _table_html(block: Block) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in block.headers)
    body = []
    for row, kind, indented in zip(block.rows, block.kinds, block.indent, strict=True):
        classes = [kind] + (["indent"] if indented and kind == DETAIL else [])
        cells = "".join(f"<td>{escape(c.strip())}</td>" for c in row)
        body.append(f'<tr class="{" ".join(classes)}">{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _fraction(value: float, most: float) -> float:
    return 0.0 if most <= 0 else max(0.0, min(100.0, 100.0 * value / most))


def _month_chart(table: Table) -> str:
    """Received by month: a column per month (all stages received)."""
    rows = [r for r in table.rows if r.kind == DETAIL]
    values = [r.cells.get("total") for r in rows]
    most: float = max((v for v in values if is_number(v)), default=0)
    bars, labels = [], []
    for row, value in zip(rows, values, strict=True):
        height = _fraction(value, most) if is_number(value) else 0.0
        shown = f"{value:,}" if is_number(value) else escape(str(value))
        # The figure sits on top of its column, out of the flow (in the headroom above the
        # tallest), so that every column's height is to the same scale.
        bars.append(
            f'<div class="bar"><div class="fill" style="height:{height:.1f}%">'
            f'<span class="value">{shown}</span></div></div>'
        )
        labels.append(f"<span>{escape(row.label.split()[0])}</span>")
    return (
        '<div class="chart" role="img" aria-label="Received by month">'
        f'<div class="columns">{"".join(bars)}</div><div class="axis">{"".join(labels)}</div></div>'
    )


def _row_chart(items: Sequence[tuple[str, float | None, str]], label: str) -> str:
    """Horizontal bars: (label, share 0-100 or None when hidden, text beside the bar)."""
    cells = []
    for name, share, text in items:
        width = 0.0 if share is None else share
        cells.append(
            f"<span>{escape(name)}</span>"
            f'<div class="track"><div class="fill" style="width:{width:.1f}%"></div></div>'
            f'<span class="value">{escape(text)}</span>'
        )
    return f'<div class="chart rows" role="img" aria-label="{escape(label)}">{"".join(cells)}</div>'


def _outcomes_chart(table: Table) -> str:
    rows = [r for r in table.rows if r.kind == DETAIL]
    values = [r.cells.get("total") for r in rows]
    most: float = max((v for v in values if is_number(v)), default=0)
    total = next((r.cells.get("total") for r in table.rows if r.key == "total"), None)
    items: list[tuple[str, float | None, str]] = []
    for row, value in zip(rows, values, strict=True):
        if is_number(value):
            items.append(
                (row.label, _fraction(value, most), f"{value:,} ({percent(value, total)})")
            )
        else:
            items.append((row.label, None, str(value)))
    return _row_chart(items, "Outcomes")


def _on_time_chart(table: Table) -> str:
    items: list[tuple[str, float | None, str]] = []
    for row in table.rows:
        cell = row.cells.get("total")
        if not isinstance(cell, Mapping) or not cell.get("total"):
            continue
        n, total = cell.get("on_time"), decided(cell)
        share = _fraction(n, total) if is_number(n) and is_number(total) else None
        items.append((row.label, share, on_time(cell)))
    return _row_chart(items, "Answered on time by quarter")


CHARTS = {
    "received_by_month": _month_chart,
    "outcomes_by_stage": _outcomes_chart,
    "on_time_by_quarter": _on_time_chart,
}
"""Where the published reports draw a chart, one is drawn above the table."""


def to_html(report: Report) -> str:
    title, *meta = heading(report)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head><body>",
        f"<h1>{escape(title)}</h1>",
        *(f'<p class="meta">{escape(line)}</p>' for line in meta),
        "<h2>Notes</h2>",
        '<ol class="notes">',
        *(f"<li>{escape(note)}</li>" for note in report.notes),
        "</ol>",
    ]
    for table in report.tables:
        out.append(f'<section id="{escape(table.id)}">')
        for n, block in enumerate(blocks(table, HTML_WIDTH, previous_table(report, table))):
            out.append(f"<h2>{escape(block.title)}</h2>")
            if n == 0 and table.id in CHARTS:
                out.append(CHARTS[table.id](table))
            out.append(_table_html(block))
            if block.note:
                out.append(f'<p class="note">{escape(block.note)}</p>')
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
