"""The year-end report: one financial year's tables to scroll, and to export as HTML or text.

Three parts, as style.md asks. ``year_report`` computes (about a second for a year of
100,000 stages) and ``renderables`` renders - both in a thread worker, since laying out the
twenty-odd tables takes a quarter of a second more - into lines exactly as wide as the view;
``ReportView`` only shows those lines. Nothing here touches the database on the UI thread.

The screen opens on the last complete financial year, as ``complaints-tui report`` does: the
annual report is written about a finished year, and a year to date compares eight months
with the whole of the year before. ``]`` shows the year to date.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from complaints_tui.domain.clocks import fmt
from complaints_tui.domain.report import Report, financial_year, period_of, year_label
from complaints_tui.report.html import to_html
from complaints_tui.report.suppress import suppress
from complaints_tui.report.text import renderables, to_text
from complaints_tui.services.files import atomic_write
from complaints_tui.services.report import year_report
from complaints_tui.tui.feedback import report_error
from complaints_tui.tui.keys import HELP
from complaints_tui.tui.widgets.key_bar import KeyBar

REPORT_DIR_ENV = "COMPLAINTS_REPORT_DIR"
"""Where exported reports are written; the current directory when it is not set."""

SUPPRESS_BELOW = 5
"""The publication threshold: counts from 1 to 4 show as "<5" (as ``--suppress-below 5``)."""

FIRST_YEAR = 1990
"""The earliest year offered, as the ``report`` command's ``--year`` allows."""

EXPORTS = {"html": ("HTML", "html"), "text": ("Text", "txt")}
"""Export kind: (what the officer is told, file extension)."""

YEARS = Binding.Group("Year", compact=True)
"""[ and ] share one footer entry."""


# -- render: a report as lines of a given width ------------------------------------------------


@dataclass(frozen=True)
class Built:
    """A report and how long it took to compute (reading, counting and any suppression)."""

    report: Report
    seconds: float


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


# -- what the workers send back ----------------------------------------------------------------
# Kept beside the screen, the only one that uses them (messages.py holds the shared ones).


class ReportReady(Message):
    """A year's report, computed (or taken from the screen's cache) and laid out."""

    def __init__(
        self,
        serial: int,
        request: tuple[int, int | None],
        raw: Built,
        shown: Built,
        rendered: Rendered,
        place: tuple[str, int] | None,
    ) -> None:
        super().__init__()
        self.serial = serial
        """Which request this answers: only the latest is shown."""
        self.year, self.below = request
        self.raw, self.shown, self.rendered, self.place = raw, shown, rendered, place


class ReportWritten(Message):
    """An export was written to ``path``."""

    def __init__(self, kind: str, path: Path, year: int, below: int | None) -> None:
        super().__init__()
        self.kind, self.path, self.year, self.below = kind, path, year, below


def export_name(report: Report, kind: str) -> str:
    """complaints-report-2025-26.html; a suppressed report is the published version and
    gets its own name, so it never overwrites the full one (nor the other way round)."""
    published = "-published" if report.suppressed_below else ""
    return f"complaints-report-{year_label(report.year)}{published}.{EXPORTS[kind][1]}"


def export_dir() -> Path:
    return Path(os.environ.get(REPORT_DIR_ENV) or ".").expanduser()


# -- the screen ---------------------------------------------------------------------------------


class ReportScreen(Screen[None]):
    AUTO_FOCUS = "#report-view"
    BINDINGS: ClassVar[list[BindingType]] = [
        HELP,
        Binding(
            "left_square_bracket,left",
            "year(-1)",
            "Previous year",
            tooltip="The financial year before",
            id="report.previous-year",
            group=YEARS,
        ),
        Binding(
            "right_square_bracket,right",
            "year(1)",
            "Next year",
            tooltip="The financial year after (up to the year to date)",
            id="report.next-year",
            group=YEARS,
        ),
        Binding(
            "h",
            "export('html')",
            "HTML file",
            tooltip="Write the report as one HTML file, to print (A4) or send",
            id="report.export-html",
        ),
        Binding(
            "t",
            "export('text')",
            "Text file",
            tooltip="Write the report as plain text, 96 columns for A4",
            id="report.export-text",
        ),
        Binding(
            "s",
            "toggle_suppress",
            "Hide <5",
            tooltip=f"Published version: show counts below {SUPPRESS_BELOW} as "
            f"'<{SUPPRESS_BELOW}' and hide what would reveal them (s again shows all)",
            id="report.suppress",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            tooltip="Read the figures again",
            id="report.reload",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.year = 0
        """The year asked for (the one shown once its report is ready); set on mount."""
        self.below: int | None = None
        """The suppression threshold asked for, or None for every figure."""
        self.shown: Built | None = None
        """The report on screen, when it is the one asked for: what the exports write."""
        self.written: dict[str, Path] = {}
        """The files exported from the report on screen, by kind."""
        self._cache: dict[tuple[int, int | None], Built] = {}
        self._serial = 0

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    @property
    def view(self) -> ReportView:
        return self.query_one("#report-view", ReportView)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="report-status")
        yield ReportView(id="report-view")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Year-end report"
        # The last complete year: see the module's docstring.
        self.year = financial_year(self.ctx.today()) - 1

    def on_screen_resume(self) -> None:
        # Cases may have changed while the officer was elsewhere: count again, but keep
        # the report in view meanwhile (this also runs when the screen first opens).
        self._cache.clear()
        self.load(keep_place=True)

    # -- building -----------------------------------------------------------------------------

    def load(self, *, keep_place: bool = False) -> None:
        """Show the year and suppression asked for: from the cache, or built in a worker."""
        self._serial += 1
        current = self.shown is not None and (
            (self.shown.report.year, self.shown.report.suppressed_below) == (self.year, self.below)
        )
        raw = self._cache.get((self.year, None))
        shown = self._cache.get((self.year, self.below))
        label = year_label(self.year)
        self.sub_title = label
        if current:
            # Same figures, counted again or laid out anew: they stay in view meanwhile.
            if shown is None:
                self._show_status(" · counting again…")
        else:
            self.shown = None
            self.written.clear()
            self.view.loading = True
            if raw is None:
                self._status(f"Building the report for {label}…")
            elif shown is None:
                self._status(f"Hiding the numbers below {self.below} in {label}…")
        width = self.view.text_width or max(24, self.app.size.width - 2)
        place = self.view.place() if keep_place else None
        self._build(self._serial, self.year, self.below, width, place, raw, shown)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report")
    def _build(
        self,
        serial: int,
        year: int,
        below: int | None,
        width: int,
        place: tuple[str, int] | None,
        raw: Built | None,
        shown: Built | None,
    ) -> None:
        worker = get_current_worker()
        if raw is None:
            self.app.calendar_ready()  # type: ignore[attr-defined]
            ctx = self.ctx
            started = time.perf_counter()
            report = year_report(
                ctx.engine, year=year, as_at=ctx.today(), policy=ctx.policy, calendar=ctx.cal
            )
            raw = Built(report, time.perf_counter() - started)
        if shown is None:
            if below is None:
                shown = raw
            else:
                if worker.is_cancelled:  # another year was asked for meanwhile
                    return
                started = time.perf_counter()
                hidden = suppress(raw.report, below)
                shown = Built(hidden, raw.seconds + time.perf_counter() - started)
        if worker.is_cancelled:
            return
        rendered = render_report(shown.report, width)
        self.post_message(ReportReady(serial, (year, below), raw, shown, rendered, place))

    def on_report_ready(self, message: ReportReady) -> None:
        self._cache[(message.year, None)] = message.raw
        self._cache[(message.year, message.below)] = message.shown
        if message.serial != self._serial:
            return  # the officer has asked for something else since
        self.shown = message.shown
        self.view.show(message.rendered, message.place)
        self.view.loading = False
        self._show_status()

    @on(ReportView.WidthChanged)
    def _relayout(self, event: ReportView.WidthChanged) -> None:
        if self.shown is not None:
            self.load(keep_place=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if event.worker.group == "export" and isinstance(error, OSError):
            where = error.filename or export_dir()
            reason = error.strerror or str(error)
            if isinstance(error, FileNotFoundError) and os.environ.get(REPORT_DIR_ENV):
                reason += f" (is {REPORT_DIR_ENV} right?)"
            self.notify(
                f"Could not write {where}: {reason}.",
                title="Not exported",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        report_error(self, error)
        if event.worker.group == "report":
            self.view.loading = False
            self._status(
                f"The report for {year_label(self.year)} could not be built (see the message); "
                "ctrl+r tries again."
            )

    # -- the status line --------------------------------------------------------------------------

    def _status(self, markup: str) -> None:
        self.query_one("#report-status", Static).update(markup)

    def _show_status(self, more: str = "") -> None:
        """The period, as-at date, time taken, suppression (one line at 80 columns), then
        the files written from this report."""
        if self.shown is None:
            return
        report = self.shown.report
        label = year_label(report.year)
        if report.as_at < report.period_end:
            label += " to date"
        hidden = f" · <{report.suppressed_below} hidden" if report.suppressed_below else ""
        lines = [
            f"[b]{label}[/b] · {fmt(report.period_start)}–{fmt(report.period_end)} · "
            f"as at {fmt(report.as_at)} · took {self.shown.seconds:.2f} s{hidden}{more}"
        ]
        for kind, path in self.written.items():
            lines.append(f"{EXPORTS[kind][0]} written to [b]{escape(str(path))}[/b]")
        self._status("\n".join(lines))

    # -- actions ----------------------------------------------------------------------------------

    def action_year(self, step: int) -> None:
        latest = financial_year(self.ctx.today())
        target = self.year + step
        if target > latest:
            self.notify(
                f"{year_label(latest)} is the current year: {year_label(target)} has not started.",
                severity="warning",
            )
            return
        if target < FIRST_YEAR:
            self.notify(f"The register starts at {year_label(FIRST_YEAR)}.", severity="warning")
            return
        self.year = target
        self.load(keep_place=True)

    def action_toggle_suppress(self) -> None:
        self.below = None if self.below else SUPPRESS_BELOW
        self.load(keep_place=True)

    def action_reload(self) -> None:
        self._cache.clear()
        self.load(keep_place=True)

    def action_export(self, kind: str) -> None:
        if self.shown is None:
            self.notify(
                "The report is still being built: export it once it is shown.",
                severity="warning",
            )
            return
        report = self.shown.report
        if not has_data(report):
            self.notify(
                f"Nothing was received in {year_label(report.year)}: there is nothing to export.",
                severity="warning",
            )
            return
        self._export(report, kind, export_dir())

    @work(thread=True, exit_on_error=False, group="export")
    def _export(self, report: Report, kind: str, directory: Path) -> None:
        path = (directory / export_name(report, kind)).resolve()
        text = to_html(report) if kind == "html" else to_text(report)
        # Owner-only, written beside and then renamed: never half a report (files.py).
        try:
            with atomic_write(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            # name the file the officer asked for, not the temporary one
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        self.post_message(ReportWritten(kind, path, report.year, report.suppressed_below))

    def on_report_written(self, message: ReportWritten) -> None:
        what = EXPORTS[message.kind][0]
        self.notify(str(message.path), title=f"{what} report written", timeout=10, markup=False)
        shown = self.shown
        if shown and (shown.report.year, shown.report.suppressed_below) == (
            message.year,
            message.below,
        ):
            self.written[message.kind] = message.path
            self._show_status()
