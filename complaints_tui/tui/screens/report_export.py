"""Where the Report screen writes an export: a dialog that asks, starting in the last folder
used, and never replaces a file without being told to (Enter a second time)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from complaints_tui.domain.report import CONCLUDED, Report, year_label
from complaints_tui.services.files import atomic_write

EXPORTS = {
    "html": ("HTML", "html"),
    "text": ("Text", "txt"),
    "pdf": ("PDF", "pdf"),
}
"""Export kind: (what the officer is told, file extension)."""

REPORT_DIR_ENV = "COMPLAINTS_REPORT_DIR"
"""Where exported reports are written; the current directory when it is not set."""


class ReportWritten(Message):
    """An export was written to ``path``."""

    def __init__(self, kind: str, path: Path, year: int, below: int | None) -> None:
        super().__init__()
        self.kind, self.path, self.year, self.below = kind, path, year, below


def export_name(report: Report, kind: str) -> str:
    """complaints-report-2025-26.html; a suppressed report is the published version and
    gets its own name, so it never overwrites the full one (nor the other way round); a
    report on the concluded basis says so too."""
    published = "-published" if report.suppressed_below else ""
    basis = "-concluded" if report.basis == CONCLUDED else ""
    return f"complaints-report-{year_label(report.year)}{basis}{published}.{EXPORTS[kind][1]}"


def export_dir() -> Path:
    return Path(os.environ.get(REPORT_DIR_ENV) or Path.cwd()).expanduser()


def export_bytes(report: Report, kind: str) -> bytes:
    """The report in the format asked for, ready to write."""
    if kind == "pdf":
        from complaints_tui.report.pdf import to_pdf

        return to_pdf(report)
    if kind == "html":
        from complaints_tui.report.html import to_html

        return to_html(report).encode("utf-8")
    from complaints_tui.report.text import to_text

    return to_text(report).encode("utf-8")


def write_export(path: Path, data: bytes) -> None:
    """Owner-only, written beside and renamed into place: a failure never leaves half a
    report, nor a report anyone else on the machine can read."""
    with atomic_write(path, "wb") as f:
        f.write(data)


class ExportDialog(ModalScreen[Path | None]):
    """Asks for the file to write; returns it, or None when the officer cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, what: str, suggested: Path, title: str | None = None) -> None:
        super().__init__(classes="form-dialog")
        self.what = what
        self.suggested = suggested
        self.heading = title or f"Export the report as {what}"
        self._confirmed: Path | None = None
        """A file that exists and that the officer has been warned about."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.heading, id="dialog-title", markup=False)
            yield Input(str(self.suggested), id="export-path")
            yield Static("", id="dialog-note", classes="empty")
            yield Static("[b]enter[/b] write   [b]esc[/b] cancel", id="dialog-keys")

    def _note(self, markup: str) -> None:
        note = self.query_one("#dialog-note", Static)
        note.update(markup)
        note.set_class(not markup, "empty")

    @on(Input.Changed)
    def _changed(self) -> None:
        self._confirmed = None
        self._note("")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self._note("Type the file to write, or press esc.")
            return
        path = Path(text).expanduser()
        if path.is_dir():
            path = path / self.suggested.name
        if not path.parent.is_dir():
            self._note(f"There is no folder {escape(str(path.parent))}.")
            return
        if path.exists() and self._confirmed != path:
            self._confirmed = path
            self._note(
                f"[b]{escape(path.name)}[/b] already exists: [b]enter[/b] again replaces it, "
                "or change the name."
            )
            return
        self.dismiss(path.resolve())

    def action_cancel(self) -> None:
        self.dismiss(None)
