"""The Import screen's parts: the messages its workers send, its mapping and words tables,
its confirm."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from complaints_tui.domain.vocab import Vocabularies
from complaints_tui.services.importer import Plan
from complaints_tui.services.importing.edits import Edits
from complaints_tui.services.importing.propose import Proposal
from complaints_tui.services.importing.word_choices import FoundWords, key_label
from complaints_tui.tui.keys import HELP
from complaints_tui.tui.styles import SCREENS_CSS

NONE = "—"
"""Shown for one of our columns that no heading feeds."""


def plain(*cells: str) -> list[Text]:
    """Cells shown as they are: a team's heading or word such as '[Ref]' is not markup."""
    return [Text(cell) for cell in cells]


def refill(table: DataTable, rows: list[list[Text]]) -> None:
    """Show ``rows`` in place of the table's, the cursor staying on its row."""
    row = table.cursor_row
    table.clear()
    for cells in rows:
        table.add_row(*cells)
    if row:
        table.move_cursor(row=row)


SCREEN_KEYS: list[BindingType] = [
    HELP,
    Binding(
        "ctrl+s",
        "confirm",
        "Import",
        tooltip="Store the checked file (asks first)",
        id="import.confirm",
    ),
    Binding(
        "ctrl+o",
        "save_mapping",
        "Save mapping",
        tooltip="Write the mapping shown to a file, to correct and use again (--mapping)",
        id="import.save-mapping",
    ),
    Binding(
        "ctrl+b",
        "all_sheets",
        "All sheets",
        tooltip="Read every sheet of the workbook together, as one log (again: the first)",
        id="import.all-sheets",
    ),
    Binding("escape", "leave", "Back", tooltip="Leave without importing", id="import.back"),
]
"""The Import screen's own keys."""


def fill(table: DataTable, rows: Iterable[list[str]]) -> None:
    """The table's rows replaced by ``rows``, shown as text."""
    table.clear()
    for cells in rows:
        table.add_row(*plain(*cells))


class ProposalReady(Message):
    def __init__(self, proposal: Proposal) -> None:
        super().__init__()
        self.proposal = proposal


class PlanReady(Message):
    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan


class WordsReady(Message):
    """The words of columns now fed from another heading, read again from the file."""

    def __init__(self, found: FoundWords, read_from: dict[str, str], whole: bool = False) -> None:
        super().__init__()
        self.found, self.read_from = found, read_from
        self.whole = whole
        """Every row's words (gathered by a check), not only those of the first rows."""


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

    def show(self, edits: Edits) -> None:
        refill(self, [plain(c, edits.columns.get(c, NONE)) for c in edits.rows])


class WordsTable(DataTable):
    """The team's words in each vocabulary column and the key each means; left/right give
    a word another key (the closest in spelling first, for a word nothing placed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left",
            "screen.word(-1)",
            "Other key",
            tooltip="Give this word the key before",
            id="import.word-previous",
            show=False,
        ),
        Binding(
            "right",
            "screen.word(1)",
            "Other key",
            tooltip="Give this word the next key (or none)",
            id="import.word-next",
        ),
    ]

    def show(self, edits: Edits, vocab: Vocabularies) -> None:
        rows = []
        for column, word in edits.word_rows:
            key = edits.found.words[column][word]
            if key is None:
                closest = edits.found.closest.get((column, word))
                meaning = "? not recognised" + (
                    f" (right: {key_label(column, closest, vocab)}?)" if closest else ""
                )
            else:
                meaning = key_label(column, key, vocab)
            rows.append(plain(column, word, meaning))
        refill(self, rows)


class ConfirmImport(ModalScreen[bool]):
    """Returns True to store the checked file."""

    CSS_PATH = SCREENS_CSS

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
