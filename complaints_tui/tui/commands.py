"""The command palette (ctrl+p): every action of the screen, the screens, and any case.

Nothing is reachable only by a key one must remember: every binding of the screen the
palette was opened on is offered by its description, and typing a reference (or part of
one), a name or words of a summary offers to open the matching cases.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.dom import DOMNode


class ScreenCommands(Provider):
    """The actions bound on the current screen and the app, by their descriptions."""

    def _commands(self) -> Iterator[tuple[str, str, Any]]:
        seen: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding: Binding = active.binding
            node: DOMNode = active.node
            if not binding.id or not isinstance(node, Screen | type(self.app)):
                continue  # Textual's own keys (focus, copy) and a widget's movement keys
            if binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            shown = self.app.get_key_display(binding) if binding.key_display is None else key
            help_text = f"key {shown}" + (f" · {binding.tooltip}" if binding.tooltip else "")
            yield binding.description, help_text, partial(self.app.run_action, binding.action, node)

    async def discover(self) -> Hits:
        for name, help_text, command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)


class CaseCommands(Provider):
    """Type a reference, a name, a case-management number or words of the summary (three
    letters or more; case and accents ignored) to open one of the newest matching cases."""

    async def search(self, query: str) -> Hits:
        from complaints_tui.services.lists import find_cases

        if not any(len(word) >= 3 for word in query.split()):
            return
        app: Any = self.app
        # The database is read off the UI thread, as every screen does.
        found = await asyncio.to_thread(find_cases, app.ctx, query)
        for rank, hit in enumerate(found.hits):
            label = f"Open case {hit.reference}"
            who = f"{hit.complainant} · " if hit.complainant else ""
            yield Hit(
                1.0 - rank / 100,
                label,
                partial(app.open_case, hit.reference),
                text=label,
                help=f"{who}{hit.status} · {hit.summary[:60]}",
            )


class ImportCommands(Provider):
    """Import a spreadsheet: the Import screen, from anywhere."""

    NAME = "Import a spreadsheet"
    HELP = "A team's workbook or CSV: map its headings, preview, then import"

    def _open(self) -> None:
        from complaints_tui.tui.screens.import_file import ImportScreen

        self.app.push_screen(ImportScreen())

    async def discover(self) -> Hits:
        yield DiscoveryHit(self.NAME, self._open, help=self.HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name in (self.NAME, "Open a workbook (.xlsx) or CSV to import"):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), self._open, help=self.HELP)
                return
