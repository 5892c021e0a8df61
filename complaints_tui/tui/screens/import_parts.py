"""The Import screen's parts: the messages its workers send, its mapping table, its confirm."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from complaints_tui.services.importer import Plan
from complaints_tui.services.importing.propose import Proposal


class ProposalReady(Message):
    def __init__(self, proposal: Proposal) -> None:
        super().__init__()
        self.proposal = proposal


class PlanReady(Message):
    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan


class Progressed(Message):
    def __init__(self, step: str, done: int, total: int | None) -> None:
        super().__init__()
        self.step, self.done, self.total = step, done, total


class Stored(Message):
    def __init__(self, stages: int, cases: int) -> None:
        super().__init__()
        self.stages, self.cases = stages, cases


class MappingTable(DataTable):
    """Our columns and the heading feeding each; left/right choose another heading (a
    table's own left/right would only scroll it sideways)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left",
            "screen.heading(-1)",
            "Other heading",
            tooltip="Feed this column from the heading before",
            id="import.heading-previous",
            show=False,
        ),
        Binding(
            "right",
            "screen.heading(1)",
            "Other heading",
            tooltip="Feed this column from the next heading (or none)",
            id="import.heading-next",
        ),
    ]


class ConfirmImport(ModalScreen[bool]):
    """Returns True to store the checked file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "yes", "Import", tooltip="Store every row", id="import.yes"),
        Binding("n,escape", "no", "Not now", tooltip="Back to the preview", id="import.no"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__(classes="form-dialog")
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Import this file?", id="dialog-title")
            yield Static(self.message, id="dialog-intro", markup=False)
            yield Static("[b]y[/b] import   [b]n[/b] not now", id="dialog-keys")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
