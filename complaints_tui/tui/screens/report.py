"""The year-end report: one financial year's tables to scroll, and to export as HTML or text.

Three parts, as style.md asks. ``year_report`` computes (about a second for a year of
100,000 stages, in a child process so that the app does not keep the memory counting took)
and ``renderables`` renders - both from a thread worker, since laying out the twenty-odd
tables takes a quarter of a second more - into lines exactly as wide as the view;
``ReportView`` only shows those lines. Nothing here touches the database on the UI thread.

The screen opens on the last complete financial year, as ``complaints-tui report`` does: the
annual report is written about a finished year, and a year to date compares eight months
with the whole of the year before. ``]`` shows the year to date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from complaints_tui.domain.report import (
    CONCLUDED,
    RECEIVED,
    Report,
    financial_year,
    year_label,
)
from complaints_tui.services.actions import Done
from complaints_tui.services.report_letters import stored_letter
from complaints_tui.tui.feedback import report_done, report_error
from complaints_tui.tui.styles import SCREENS_CSS
from complaints_tui.tui.widgets.key_bar import KeyBar

from .report_build import Key, ReportCurrent, ReportProgress, ReportReady, post_built
from .report_export import (
    EXPORTS,
    ExportDialog,
    ReportWritten,
    export_bytes,
    export_dir,
    export_name,
    write_export,
)
from .report_keys import FIRST_YEAR, REPORT_BINDINGS, SUPPRESS_BELOW
from .report_letter import letter_form
from .report_view import Built, Rendered, ReportView, has_data, status_text

# -- the screen ---------------------------------------------------------------------------------


class ReportScreen(Screen[None]):
    CSS_PATH = SCREENS_CSS

    AUTO_FOCUS = "#report-view"
    BINDINGS: ClassVar[list[BindingType]] = REPORT_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        self.year = 0
        """The year asked for (the one shown once its report is ready); set on mount."""
        self.below: int | None = None
        """The suppression threshold asked for, or None for every figure."""
        self.basis = RECEIVED
        """The counting basis asked for."""
        self.shown: Built | None = None
        """The report on screen, when it is the one asked for: what the exports write."""
        self.written: dict[str, Path] = {}
        """The files exported from the report on screen, by kind."""
        self.last_dir: Path | None = None
        """The folder the last export went to: the next one starts there."""
        self._cache: dict[Key, Built] = {}
        """Reports built, until the database changes (their version says when)."""
        self._layouts: dict[tuple[Key, int], Rendered] = {}
        """Reports laid out, by width: a year seen before is shown at once."""
        self._serial = 0

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    @property
    def view(self) -> ReportView:
        return self.query_one("#report-view", ReportView)

    @property
    def key(self) -> Key:
        return (self.year, self.below, self.basis)

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
        # Cases may have changed while the officer was elsewhere: what was shown before
        # is shown at once, and counted again only if the database says it changed
        # (this also runs when the screen first opens).
        self.load(keep_place=True)

    # -- building -----------------------------------------------------------------------------

    def _width(self) -> int:
        return self.view.text_width or max(24, self.app.size.width - 2)

    def load(self, *, keep_place: bool = False, fresh: bool = False) -> None:
        """Show the report asked for: at once when it was laid out before (then checked
        against the database in the background), else built in a worker."""
        self._serial += 1
        key = self.key
        width = self._width()
        place = self.view.place() if keep_place else None
        label = year_label(self.year)
        self.sub_title = label
        raw = None if fresh else self._cache.get((self.year, None, self.basis))
        shown = None if fresh else self._cache.get(key)
        layout = None if fresh else self._layouts.get((key, width))
        if shown is not None and layout is not None:
            if self.shown is not shown:
                self.written.clear()
            self.shown = shown
            self.view.show(layout, place)
            self.view.loading = False
            self._show_status(" · checking for changes…")
        else:
            current = (
                self.shown is not None
                and (
                    self.shown.report.year,
                    self.shown.report.suppressed_below,
                    self.shown.report.basis,
                )
                == key
            )
            if current:
                self._show_status(" · counting again…")
            else:
                self.shown = None
                self.written.clear()
                self.view.loading = True
                if raw is None:
                    self._status(f"Building the report for {label}…")
                else:
                    self._status(f"Hiding the numbers below {self.below} in {label}…")
        self._build(self._serial, key, width, place, raw, shown, layout)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report")
    def _build(
        self,
        serial: int,
        key: Key,
        width: int,
        place: tuple[str, int] | None,
        raw: Built | None,
        shown: Built | None,
        layout: Rendered | None,
    ) -> None:
        worker = get_current_worker()
        post_built(
            self.ctx,
            serial,
            key,
            width,
            place,
            cached=(raw, shown, layout),
            post=self.post_message,
            cancelled=lambda: worker.is_cancelled,
            calendar_ready=self.app.calendar_ready,  # type: ignore[attr-defined]
        )

    def on_report_progress(self, message: ReportProgress) -> None:
        if message.serial == self._serial and self.shown is None:
            self._status(
                f"Building the report for {year_label(self.year)}… "
                f"{message.step} ({message.done}/{message.steps})"
            )

    def on_report_current(self, message: ReportCurrent) -> None:
        if message.serial == self._serial:
            self._show_status()

    def on_report_ready(self, message: ReportReady) -> None:
        year, below, basis = message.key
        stale = [k for k, b in self._cache.items() if b.version != message.raw.version]
        for k in stale:
            del self._cache[k]
        self._layouts = {
            k: v for k, v in self._layouts.items() if k[0] in self._cache or k[0] == message.key
        }
        self._cache[(year, None, basis)] = message.raw
        self._cache[message.key] = message.shown
        self._layouts[(message.key, message.rendered.width)] = message.rendered
        if message.serial != self._serial:
            return  # the officer has asked for something else since
        if self.shown is not message.shown:
            self.written.clear()
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
        if self.shown is not None:
            self._status(status_text(self.shown, self.written, more))

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

    def action_toggle_basis(self) -> None:
        self.basis = CONCLUDED if self.basis == RECEIVED else RECEIVED
        self.notify(
            "Outcomes and timeliness over the stages concluded in the year, carried in included."
            if self.basis == CONCLUDED
            else "Outcomes and timeliness over the stages received in the year.",
            title="Counting basis",
        )
        self.load(keep_place=True)

    def action_reload(self) -> None:
        self._cache.clear()
        self._layouts.clear()
        self.load(keep_place=True, fresh=True)

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
        folder = self.last_dir or export_dir()
        suggested = folder / export_name(report, kind)

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            self.last_dir = path.parent
            self._export(report, kind, path)

        self.app.push_screen(ExportDialog(EXPORTS[kind][0], suggested), chosen)

    def action_letter(self) -> None:
        self._open_letter(self.year)

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter")
    def _open_letter(self, year: int) -> None:
        stored = stored_letter(self.ctx.engine, year)  # what was entered before, if any
        self.app.call_from_thread(
            self.app.push_screen, letter_form(self.ctx, year, stored), self._letter_saved
        )

    def _letter_saved(self, done: Done | str | None) -> None:
        if isinstance(done, Done):
            report_done(self, done)
            self.load(keep_place=True)  # the database moved: the year is counted again

    @work(thread=True, exit_on_error=False, group="export")
    def _export(self, report: Report, kind: str, path: Path) -> None:
        write_export(path, export_bytes(report, kind))
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
