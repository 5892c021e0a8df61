"""The Report screen's view: a report laid out as lines exactly as wide as the view
(``render_report``, run in a worker), and the thin ``ReportView`` that only shows them."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.geometry import Size
from textual.markup import escape
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from complaints_tui.domain.clocks import fmt
from complaints_tui.domain.report import CONCLUDED, Report, period_of, year_label
from complaints_tui.report.text import renderables

from .report_export import EXPORTS

# -- render: a report as lines of a given width ------------------------------------------------


@dataclass(frozen=True)
class Built:
    """A report and how long it took to compute (reading, counting and any suppression)."""

    report: Report
    seconds: float
    version: tuple[Any, ...] = ()
    """The database's change marker when it was read: the report is good until it moves."""


@dataclass(frozen=True)
class Rendered:
    """A report laid out for a view ``width`` characters wide."""

    lines: tuple[Strip, ...]
    width: int
    anchors: tuple[tuple[str, int], ...] = ()
    """(table id, line of its title), in order: to keep one's place across years."""


def has_data(report: Report) -> bool:
    """Whether anything was received in the report's year (to date)."""
    try:
        received = report.table("received_by_quarter").cell("total", "total")
    except (KeyError, StopIteration):
        return True  # a report of another shape: show its tables
    return bool(received != 0)


def empty_message(report: Report) -> list[RenderableType]:
    """What the view shows for a year in which nothing was received."""
    start, end = period_of(report.year)
    when = "yet " if report.as_at < end else ""
    return [
        Text(report.title, style="bold"),
        Text(""),
        Text(
            f"Nothing was received {when}in {year_label(report.year)} "
            f"({fmt(start)} to {fmt(end)}): no complaints, enquiries, compliments or duty "
            "contacts, so there are no tables to show.",
            style="bold",
        ),
        Text(""),
        Text("[ shows the year before." if when else "[ shows the year before, ] the year after."),
    ]


def render_report(report: Report, width: int) -> Rendered:
    """The report (or, for a year without data, a message saying so) as styled lines
    exactly ``width`` wide, with a column of margin each side."""
    width = max(width, 24)
    parts = renderables(report, width - 2) if has_data(report) else empty_message(report)
    console = Console(
        file=io.StringIO(), width=width, color_system="truecolor", legacy_windows=False
    )
    lines = console.render_lines(Padding(Group(*parts, Text("")), (0, 1)), pad=True)
    strips = tuple(Strip(line, width) for line in lines)
    return Rendered(strips, width, _anchors(report, strips))


def _anchors(report: Report, lines: Sequence[Strip]) -> tuple[tuple[str, int], ...]:
    """Where each table's title is, found in order (a title that wrapped is left out)."""
    out: list[tuple[str, int]] = []
    at = 0
    texts = [line.text.strip() for line in lines]
    for table in report.tables:
        try:
            at = texts.index(table.title, at)
        except ValueError:
            continue
        out.append((table.id, at))
    return tuple(out)


# -- the thin view ---------------------------------------------------------------------------


class ReportView(ScrollView, can_focus=True):
    """Shows lines rendered elsewhere, scrolled with the usual keys; asks for new lines
    when its width changes."""

    DEFAULT_CSS = """
    ReportView {
        height: 1fr;
        scrollbar-gutter: stable;
    }
    """

    class WidthChanged(Message):
        """The view is now ``width`` characters wide: the report needs laying out again."""

        def __init__(self, width: int) -> None:
            super().__init__()
            self.width = width

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rendered: Rendered | None = None

    @property
    def text_width(self) -> int:
        """Characters across, less the scroll bar's gutter (0 before the first layout)."""
        return self.scrollable_content_region.width

    @property
    def text(self) -> str:
        """What the view holds, as plain text."""
        lines = self.rendered.lines if self.rendered else ()
        return "\n".join(line.text.rstrip() for line in lines)

    def place(self) -> tuple[str, int]:
        """The table at the top of the view and how many lines into it ("" before the
        first table)."""
        y = round(self.scroll_y)
        current = ("", y)
        for table_id, line in self.rendered.anchors if self.rendered else ():
            if line > y:
                break
            current = (table_id, y - line)
        return current

    def show(self, rendered: Rendered, place: tuple[str, int] | None = None) -> None:
        """Show new lines; at ``place`` (see :meth:`place`) when it is given, else at the top."""
        self.rendered = rendered
        self.virtual_size = Size(rendered.width, len(rendered.lines))
        y = 0
        if place is not None:
            table_id, offset = place
            anchors = dict(rendered.anchors)
            if not table_id:
                y = offset
            elif table_id in anchors:
                starts = sorted(anchors.values())
                start = anchors[table_id]
                end = next((s for s in starts if s > start), len(rendered.lines))
                y = start + min(offset, max(0, end - start - 1))
        self.scroll_to(y=y, animate=False, immediate=True)
        self.refresh()
        self._check_width()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.text_width
        lines = self.rendered.lines if self.rendered else ()
        index = scroll_y + y
        if index >= len(lines):
            return Strip.blank(width, self.rich_style)
        return (
            lines[index].crop_extend(scroll_x, scroll_x + width, None).apply_style(self.rich_style)
        )

    def on_resize(self) -> None:
        self._check_width()

    def _check_width(self) -> None:
        width = self.text_width
        if self.rendered is not None and width > 0 and width != self.rendered.width:
            self.post_message(self.WidthChanged(width))


def status_text(shown: Built, written: Mapping[str, Path], more: str = "") -> str:
    """The Report screen's status, as markup: the period, as-at date, basis, time taken,
    suppression (one line at 80 columns), then the files written from this report."""
    report = shown.report
    label = year_label(report.year)
    if report.as_at < report.period_end:
        label += " to date"
    hidden = f" · <{report.suppressed_below} hidden" if report.suppressed_below else ""
    basis = " · on conclusion" if report.basis == CONCLUDED else ""
    lines = [
        f"[b]{label}[/b] · {fmt(report.period_start)}–{fmt(report.period_end)} · "
        f"as at {fmt(report.as_at)}{basis} · took {shown.seconds:.2f} s{hidden}{more}"
    ]
    for kind, path in written.items():
        lines.append(f"{EXPORTS[kind][0]} written to [b]{escape(str(path))}[/b]")
    return "\n".join(lines)
