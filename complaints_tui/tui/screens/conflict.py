"""Another officer saved the case first: reload it, or keep the form open. And the
one-question confirmation the other screens ask (discard changes? record as sent?)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from complaints_tui.tui.styles import SCREENS_CSS


class ConflictDialog(ModalScreen[bool]):
    """Returns True to reload the case."""

    CSS_PATH = SCREENS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r,enter", "reload", "Reload", tooltip="Read the case again", id="conflict.reload"),
        Binding("escape", "keep", "Keep editing", tooltip="Back to the form", id="conflict.keep"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__(classes="form-dialog")
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Changed by someone else", id="dialog-title")
            yield Static(self.message, id="dialog-intro", markup=False)
            yield Static(
                "Nothing of yours was saved, and nothing of theirs was overwritten.\n"
                "Reload to see their change, then do yours again.",
                id="dialog-note",
            )
            yield Static(
                "[b]r[/b] reload the case   [b]esc[/b] keep the form open", id="dialog-keys"
            )

    def action_reload(self) -> None:
        self.dismiss(True)

    def action_keep(self) -> None:
        self.dismiss(False)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: ``y`` answers yes; ``n`` or ``Esc`` no."""

    CSS_PATH = SCREENS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, message: str, *, yes: str = "yes", no: str = "no") -> None:
        super().__init__(classes="form-dialog")
        self.title_text, self.message, self.yes, self.no = title, message, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title", markup=False)
            yield Static(self.message, id="dialog-intro", markup=False)
            yield Static(
                f"[b]y[/b] {self.yes}   [b]n[/b] or [b]esc[/b] {self.no}", id="dialog-keys"
            )

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
