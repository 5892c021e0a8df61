"""How a report table is laid out on paper, shared by the text and HTML renderers.

A table becomes one or more :class:`Block`s of strings: the figures formatted the way the
reports print them ("53% (8/15)", "12 (34%)", "£1,250.00"), percentage columns the reports
add beside counts, and - when a table is too wide for A4 portrait - the table turned on its
side or split into parts that repeat the row labels. Percentages are computed here, from
the figures shown, so a suppressed figure never leaks through a percentage.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from complaints_tui.domain.clocks import fmt
from complaints_tui.domain.report import (
    DETAIL,
    MEMO,
    ONTIME,
    SUBTOTAL,
    TOTAL,
    Cell,
    Column,
    Report,
    Row,
    Table,
)

from .cells import (
    DASH,
    SECRET,
    change,
    count,
    decided,
    figure,
    is_number,
    mean,
    money,
    on_time,
    percent,
)

__all__ = [
    "DASH",
    "SECRET",
    "change",
    "count",
    "decided",
    "figure",
    "is_number",
    "mean",
    "money",
    "on_time",
    "percent",
]
"""The figures' formatting lives in cells.py; the renderers and tests take it from here."""


@dataclass(frozen=True)
class Block:
    """A printable table: a header, rows of strings and how to style each row."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    kinds: tuple[str, ...]
    """detail, subtotal, total or memo, per row."""
    indent: tuple[bool, ...]
    """Rows that belong to a subtotal above them, shown indented."""
    widths: tuple[int, ...] = ()
    """Characters for each column's figures (the header wraps to fit)."""
    note: str | None = None
    table_id: str = ""


# -- the columns a table is printed with ---------------------------------------------------

Getter = Callable[[Row], str]


def _total_row(table: Table) -> Row | None:
    return next((r for r in table.rows if r.kind == TOTAL), None)


NO_PREVIOUS = frozenset(
    {
        "key_figures",
        "key_rates",
        "received_by_year",
        "received_by_quarter",
        "received_by_month",
        "learning_list",
        "carried_forward",
    }
)
"""Tables that show other years their own way, or have nothing to compare."""


def with_previous(column: Column, now: str, before: Cell) -> str:
    """'74 (188)': this year's figure with the year before's in brackets, as the reports
    print them; for an on-time cell the year before's percentage."""
    if before is None or column.kind == "text":
        return now
    if column.kind == ONTIME:
        if not isinstance(before, Mapping):
            return now
        whole = decided(before)
        part = before.get("on_time")
        if not is_number(whole) or not whole:
            return now
        return f"{now} ({percent(part, whole)})" if is_number(part) else f"{now} ({part})"
    return f"{now} ({figure(column, before)})"


def _columns(table: Table, previous: Table | None = None) -> list[tuple[str, Getter]]:
    """The printed columns: the table's own, with the percentages the reports show, and
    the year before's figure beside each when ``previous`` is given."""
    out: list[tuple[str, Getter]] = []
    total_row = _total_row(table)
    before: dict[str, Mapping[str, Cell]] = (
        {r.key: r.cells for r in previous.rows}
        if previous is not None and table.id not in NO_PREVIOUS
        else {}
    )

    def plain(col: Column) -> tuple[str, Getter]:
        def get(r: Row, c: Column = col) -> str:
            now = figure(c, r.cells.get(c.key))
            if r.key in before:
                return with_previous(c, now, before[r.key].get(c.key))
            if before and r.kind in (DETAIL, TOTAL, SUBTOTAL) and c.kind != "text":
                # a row the year before did not have: nothing then
                return with_previous(c, now, 0 if c.kind == "count" else None)
            return now

        return col.label, get

    for col in table.columns:
        if table.id == "outcomes_by_stage" and col.kind == "count":
            # a count with its share of the stage's concluded outcomes
            def share(r: Row, c: Column = col) -> str:
                v = r.cells.get(c.key)
                if r.kind != DETAIL or total_row is None or v == 0:
                    text = count(v)
                else:
                    p = percent(v, total_row.cells.get(c.key))
                    text = count(v) if p == DASH else f"{count(v)} ({p})"
                if before:
                    old = before.get(r.key, {}).get(c.key, 0 if r.kind == DETAIL else None)
                    if old is not None:
                        text += f" [{count(old)}]"
                return text

            out.append((col.label, share))
            continue
        out.append(plain(col))
        if table.id in ("key_figures", "key_rates") and col.key == "previous_year":
            out.append(("Change", _key_change(table.id)))
        if table.id in ("by_service", "later_stages_by_service") and col.key == "upheld":
            out.append(("% upheld", lambda r: percent(r.cells.get("upheld"), r.cells.get("total"))))
        elif table.id == "escalation" and col.key == "progressed":
            out.append(
                ("% went on", lambda r: percent(r.cells.get("progressed"), r.cells.get("previous")))
            )
        elif (
            table.id
            in (
                "complainant_types",
                "advocacy",
                "channels",
                "themes",
                "themes_upheld",
                "lgsco_decisions",
                "duty_by_category",
                "compliments_by_service",
            )
            and col.key in ("total", "count")
            and total_row is not None
        ):
            out.append(("%", _share(col.key, total_row.cells.get(col.key))))
    return out


def _key_change(table_id: str) -> Getter:
    """The direction of change on the year before: 'up 16%', 'down 5 points', 'same'."""

    def get(r: Row) -> str:
        now, before = r.cells.get("this_year"), r.cells.get("previous_year")
        if table_id == "key_rates":
            if not (isinstance(now, Mapping) and isinstance(before, Mapping)):
                return DASH
            a, b = decided(now), decided(before)
            n, m = now.get("on_time"), before.get("on_time")
            if not all(is_number(x) for x in (a, b, n, m)) or not a or not b:
                return DASH
            points = math.floor(100 * n / a + 0.5) - math.floor(100 * m / b + 0.5)
        else:
            if not (is_number(now) and is_number(before)):
                return DASH
            if not before:
                return "new" if now else DASH
            points = math.floor(100 * (now - before) / before + 0.5)
        if points == 0:
            return "same"
        unit = " points" if table_id == "key_rates" else "%"
        return f"{'up' if points > 0 else 'down'} {abs(points)}{unit}"

    return get


def _share(key: str, whole: Cell) -> Getter:
    """A row's figure in ``key`` as a percentage of ``whole``."""

    def get(r: Row) -> str:
        return percent(r.cells.get(key), whole)

    return get


def _received_by_year(table: Table) -> tuple[list[str], list[tuple[str, ...]], list[str]]:
    """Turned on its side, as the reports print it: a row per type, a column per year
    and the change on the year before."""
    years = [r.label for r in table.rows]
    headers = ["", *years, "% change"]
    rows = []
    kinds = []
    for col in table.columns:
        values = [r.cells.get(col.key) for r in table.rows]
        delta = change(values[-1], values[-2]) if len(values) > 1 else DASH
        rows.append((col.label, *(count(v) for v in values), delta))
        kinds.append(TOTAL if col.key == "total" else DETAIL)
    return headers, rows, kinds


# -- fitting the page ----------------------------------------------------------------------

LABEL_MAX = 32
"""Row labels longer than this wrap onto a second line."""
LABEL_MIN = 18
"""Labels are wrapped down to this width to keep a table in one piece."""


def _widths(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Characters each column needs: its widest figure, or its header's longest word."""
    out = []
    for i, header in enumerate(headers):
        longest_word = max((len(w) for w in header.split()), default=0)
        need = max([longest_word, *(len(r[i]) for r in rows)])
        if i == 0:
            need = min(need, LABEL_MAX)
        out.append(need)
    return out


def _width(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
    """The whole table's width: every column after the first has a one-character divider
    and one space of padding before it."""
    widths = _widths(headers, rows)
    return widths[0] + sum(w + 2 for w in widths[1:])


def _transpose(
    headers: Sequence[str], rows: Sequence[Sequence[str]]
) -> tuple[list[str], list[tuple[str, ...]]]:
    new_headers = ["", *(r[0] for r in rows)]
    new_rows = [tuple([headers[i], *(r[i] for r in rows)]) for i in range(1, len(headers))]
    return new_headers, new_rows


_TURNABLE = {
    "received_by_quarter",
    "received_by_month",
    "on_time_by_quarter",
    "on_time_by_division",
}
"""Tables whose rows and columns are both just groupings, so either way round reads."""


def blocks(table: Table, width: int = 88, previous: Table | None = None) -> list[Block]:
    """The table as printable blocks no wider than ``width`` characters; with the year
    before's figures in brackets when ``previous`` (the same table, a year earlier) is
    given."""
    if table.id == "received_by_year":
        headers, rows, kinds = _received_by_year(table)
        indent = [False] * len(rows)
    else:
        cols = _columns(table, previous)
        headers = ["", *(h for h, _ in cols)]
        rows = [tuple([r.label, *(get(r) for _, get in cols)]) for r in table.rows]
        kinds = [r.kind for r in table.rows]
        indent = [r.group is not None for r in table.rows]
    if _width(headers, rows) > width and table.id in _TURNABLE:
        turned_headers, turned_rows = _transpose(headers, rows)
        if _width(turned_headers, turned_rows) < _width(headers, rows):
            headers, rows = turned_headers, turned_rows
            kinds = [TOTAL if r[0] == "Total" else DETAIL for r in rows]
            indent = [False] * len(rows)
    # Indented rows need two more characters of label.
    rows = [
        (("  " if ind or kind == MEMO else "") + r[0], *r[1:])
        for r, kind, ind in zip(rows, kinds, indent, strict=True)
    ]
    widths = _widths(headers, rows)
    figures = sum(w + 2 for w in widths[1:])
    if widths[0] + figures > width and width - figures >= LABEL_MIN:
        # narrower labels (they wrap) before splitting the table in two
        widths[0] = width - figures
    # split the columns into parts that fit, each repeating the row labels
    parts: list[list[int]] = [[]]
    used = widths[0]
    for i in range(1, len(headers)):
        if parts[-1] and used + widths[i] + 2 > width:
            parts.append([])
            used = widths[0]
        parts[-1].append(i)
        used += widths[i] + 2
    out = []
    for n, part in enumerate(parts):
        title = table.title if n == 0 else f"{table.title} (continued)"
        keep = [0, *part]
        out.append(
            Block(
                title=title,
                headers=tuple(headers[j] for j in keep),
                rows=tuple(tuple(r[j] for j in keep) for r in rows),
                kinds=tuple(kinds),
                indent=tuple(indent),
                widths=tuple(widths[j] for j in keep),
                note=table.note if n == len(parts) - 1 else None,
                table_id=table.id,
            )
        )
    return out


LISTED = frozenset({"learning_list"})
"""Tables printed as lists under headings rather than as grids: long text in each row."""


def listed(table: Table) -> list[tuple[str, list[str]]]:
    """A listed table's rows grouped under their service: (service, one line an item)."""
    groups: dict[str, list[str]] = {}
    for row in table.rows:
        c = row.cells
        bits = [f"{row.label}."]
        for key, label in (("stage", ""), ("owner", "Owner: "), ("due", "Due: ")):
            if c.get(key):
                bits.append(f"{label}{c[key]}.")
        bits.append(f"Status: {c.get('status', '')}.")
        groups.setdefault(str(c.get("service") or "Not recorded"), []).append(" ".join(bits))
    return list(groups.items())


def previous_table(report: Report, table: Table) -> Table | None:
    """The same table in the year before, when the report carries it."""
    if report.previous is None:
        return None
    try:
        return report.previous.table(table.id)
    except KeyError:
        return None


def heading(report: Report) -> list[str]:
    """The lines above the tables: title, the publisher, period, as-at date, basis."""
    pub = report.publisher
    lines = [report.title]
    lines += [pub[k] for k in ("council", "directorate") if pub.get(k)]
    lines += [
        f"Period: {fmt(report.period_start)} to {fmt(report.period_end)}",
        f"Figures as at {fmt(report.as_at)}",
        f"Counted on the '{report.basis}' basis (see the notes)",
    ]
    if pub.get("author"):
        lines.append(f"Author: {pub['author']}")
    if pub.get("contact"):
        lines.append(f"Contact: {pub['contact']}")
    if report.suppressed_below:
        lines.append(f"Published version: numbers below {report.suppressed_below} are hidden")
    return lines


STYLE_OF_KIND = {DETAIL: "", SUBTOTAL: "bold", TOTAL: "bold", MEMO: "italic"}
