"""Another officer saved the case first: reload it, or keep the form open."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConflictDialog(ModalScreen[bool]):
    """Returns True to reload the case."""

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
