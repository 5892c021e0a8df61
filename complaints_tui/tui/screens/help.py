"""Every key of every screen, read from the screens' own bindings so it cannot drift."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from complaints_tui.tui.styles import SCREENS_CSS


def _key(app: object, binding: Binding) -> str:
    keys = [k.strip() for k in binding.key.split(",")]
    names = {
        "slash": "/",
        "question_mark": "?",
        "enter": "Enter",
        "escape": "Esc",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "left": "←",
        "right": "→",
    }
    return " ".join(names.get(k, k) for k in keys)


def binding_table(app: object, title: str, bindings: list[Binding]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, expand=True)
    table.add_column("key", style="bold", width=12, no_wrap=True)
    table.add_column("action", ratio=1)
    for binding in bindings:
        if binding.description:
            text = binding.description
            if binding.tooltip:
                text += f" — {binding.tooltip}"
            table.add_row(_key(app, binding), text)
    return table


def _bindings(cls: type, *, skip: tuple[str, ...] = ("help",)) -> list[Binding]:
    """A class's own bindings (the help key, listed under 'Everywhere', left out)."""
    out = []
    for item in getattr(cls, "BINDINGS", []):
        if isinstance(item, Binding) and item.id in skip:
            continue
        if isinstance(item, Binding):
            out.append(item)
        else:
            out.append(Binding(*item))
    return out


class HelpScreen(ModalScreen[None]):
    CSS_PATH = SCREENS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        from complaints_tui.tui.app import ComplaintsApp
        from complaints_tui.tui.screens.case_detail import CaseDetailScreen
        from complaints_tui.tui.screens.case_list import CaseListScreen
        from complaints_tui.tui.screens.deadlines import DeadlinesScreen
        from complaints_tui.tui.screens.escalation import EscalationScreen
        from complaints_tui.tui.screens.form_dialog import FormDialog
        from complaints_tui.tui.screens.letter import LetterScreen
        from complaints_tui.tui.screens.report import ReportScreen
        from complaints_tui.tui.screens.triage import TriageScreen

        sections = [
            ("Everywhere", _bindings(ComplaintsApp, skip=())),
            ("1 Case list", _bindings(CaseListScreen)),
            ("Case detail (Enter on a case)", _bindings(CaseDetailScreen)),
            ("2 Duty triage", _bindings(TriageScreen)),
            ("Escalation (e on a case)", _bindings(EscalationScreen)),
            ("3 Deadlines", _bindings(DeadlinesScreen)),
            ("4 Year-end report", _bindings(ReportScreen)),
            ("Letter (L on a case)", _bindings(LetterScreen)),
            ("Forms", _bindings(FormDialog)),
        ]
        with VerticalScroll(id="help"):
            yield Static(
                "[b]Keys[/b] — ctrl+p opens the command palette: every action by name, and "
                "any case by typing its reference, and the officers' list (Add officer, "
                "Rename officer, Officer leaves, Reassign open cases). Arrow keys, PgUp/PgDn, "
                "Home/End move in lists; Tab moves between fields.",
                classes="help-intro",
            )
            for title, bindings in sections:
                yield Static(binding_table(self.app, title, bindings), classes="help-section")

    def action_close(self) -> None:
        self.dismiss(None)
