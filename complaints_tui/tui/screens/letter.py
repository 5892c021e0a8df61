"""A letter for the case: choose its kind, read it filled in, write it as a .docx.

The preview is the template with the case's values; nothing is written until ctrl+s.
Writing records the letter in the timeline; an acknowledgement letter then asks whether
it was sent, and a yes records the acknowledgement.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from complaints_tui.domain.letters import LETTER_KINDS
from complaints_tui.services import letters
from complaints_tui.services.actions import Done
from complaints_tui.tui.feedback import error_text
from complaints_tui.tui.styles import SCREENS_CSS


def default_kind(procedure: str, acknowledged: bool) -> str:
    """The letter an officer most likely wants first for this case."""
    if procedure in ("mp", "councillor"):
        return "member_reply"
    if procedure == "lgsco":
        return "ombudsman_reply"
    return "stage1_response" if acknowledged else "acknowledgement"


class LetterScreen(ModalScreen[Done | None]):
    CSS_PATH = SCREENS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "write",
            "Write .docx",
            tooltip="Write the letter as a Word document and record it on the timeline",
            id="letter.write",
            priority=True,
        ),
        Binding("escape", "close", "Close", tooltip="Close without writing", id="letter.close"),
    ]

    def __init__(self, reference: str, stage_id: int | None, kind: str) -> None:
        super().__init__(classes="form-dialog")
        self.reference = reference
        self.stage_id = stage_id
        self.kind = kind
        self.draft: letters.LetterDraft | None = None
        self.done: Done | None = None

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="letter"):
            yield Static(f"Letter for {self.reference}", id="dialog-title", markup=False)
            with Horizontal(classes="field-row"):
                yield Label("Letter", classes="field-label")
                yield Select(
                    [(label, key) for key, label in LETTER_KINDS.items()],
                    value=self.kind,
                    allow_blank=False,
                    compact=True,
                    id="letter-kind",
                )
            with VerticalScroll(id="letter-preview-box"):
                yield Static("Filling in the letter…", id="letter-preview", markup=False)
            with Horizontal(classes="field-row"):
                yield Label("Write to", classes="field-label")
                yield Input("", id="letter-path", compact=True)
            yield Static("", id="dialog-error", classes="empty", markup=False)
            yield Static(
                "[b]ctrl+s[/b] write the .docx and record it   [b]esc[/b] close   "
                "templates: the policy's letter_templates folder",
                id="dialog-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#letter-kind", Select).focus()
        self._prepare(self.kind)

    @on(Select.Changed, "#letter-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL and event.value != getattr(self.draft, "kind", None):
            self.kind = str(event.value)
            self._prepare(self.kind)

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter")
    def _prepare(self, kind: str) -> letters.LetterDraft:
        return letters.prepare(self.ctx, self.reference, kind, stage_id=self.stage_id)

    def _say(self, text: str) -> None:
        widget = self.query_one("#dialog-error", Static)
        widget.update(text)
        widget.set_class(not text, "empty")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        group = event.worker.group
        if event.state is WorkerState.ERROR:
            message = error_text(event.worker.error)
            if group == "letter":
                self.draft = None
                self.query_one("#letter-preview", Static).update(
                    f"Cannot fill this letter: {message}"
                )
                self._say("")
            else:
                self._say(f"Not written: {message}")
        elif event.state is WorkerState.SUCCESS:
            if group == "letter":
                self._show(event.worker.result)
            elif group == "write":
                self._written(event.worker.result)
            elif group == "sent":
                self.dismiss(event.worker.result)

    def _show(self, draft: letters.LetterDraft) -> None:
        self.draft = draft
        self.query_one("#letter-preview", Static).update(draft.text)
        path = self.query_one("#letter-path", Input)
        path.value = str(letters.default_path(self.ctx, draft))
        self._say("")

    def action_write(self) -> None:
        if self.draft is None:
            self._say("Nothing to write: this letter cannot be filled in for the case.")
            return
        target = self.query_one("#letter-path", Input).value.strip()
        if not target:
            self._say("Give the file to write (a .docx).")
            return
        self._say("Writing…")
        self._write(self.draft, Path(target).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="write")
    def _write(self, draft: letters.LetterDraft, path: Path) -> Done:
        return letters.write(self.ctx, draft, path)

    def _written(self, done: Done) -> None:
        self.done = done
        if self.draft is None or self.draft.kind != "acknowledgement":
            self.dismiss(done)
            return
        from complaints_tui.tui.screens.conflict import ConfirmDialog

        self.app.push_screen(
            ConfirmDialog(
                "Was the acknowledgement sent?",
                f"{done.message}\nAnswer y once it has gone to the complainant: that records "
                f"{self.reference} as acknowledged today.",
                yes="sent: record the acknowledgement",
                no="not yet (acknowledge later with a)",
            ),
            self._after_sent,
        )

    def _after_sent(self, sent: bool | None) -> None:
        if sent and self.draft is not None:
            self._confirm(self.draft)
        else:
            self.dismiss(self.done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sent")
    def _confirm(self, draft: letters.LetterDraft) -> Done:
        done = letters.confirm_sent(self.ctx, draft)
        assert self.done is not None
        return Done(done.reference, f"{self.done.message} {done.message}")

    def action_close(self) -> None:
        self.dismiss(self.done)
