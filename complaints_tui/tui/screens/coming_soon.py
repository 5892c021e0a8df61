"""The report's place in the navigation until the year-end report screen arrives."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header, Static

from complaints_tui.tui.widgets.key_bar import KeyBar


class ComingSoonScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "[b]Year-end report[/b]\n\n"
            "The statutory annual report will open here (it comes with its own issue).\n"
            "Until then: [b]complaints-tui report --help[/b] in the shell, if installed.\n\n"
            "[b]1[/b] cases   [b]2[/b] triage   [b]3[/b] deadlines   [b]?[/b] help",
            id="coming-soon",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Report"
