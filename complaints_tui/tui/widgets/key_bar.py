"""The footer's keys as one line of text.

Textual's Footer builds a widget per key and rebuilds them all whenever focus moves;
on these screens that was most of the 300 ms budget for opening the case list. KeyBar
is a Footer (same place, same colours, same keys from the screen's bindings) drawn as one
line that is updated, not rebuilt. Clicking a key presses it.
"""

from __future__ import annotations

from itertools import groupby

from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Static


class KeyBar(Footer):
    DEFAULT_CSS = """
    KeyBar {
        layout: horizontal;
        height: 1;
        & > Static { height: 1; background: $footer-background; link-style: none; }
        & > #key-bar-keys { width: 1fr; }
        & > #key-bar-palette { width: auto; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="key-bar-keys")
        yield Static("", id="key-bar-palette")

    def on_mount(self) -> None:
        super().on_mount()
        self._update()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._update)

    def _key(self, binding: Binding, description: str) -> str:
        # escape() leaves a lone "[" alone, which beside the bar's own "[/]" reads as a tag
        key = self.app.get_key_display(binding).replace("[", r"\[")
        press = binding.key.split(",")[0].replace("'", "")
        text = f"[b $footer-key-foreground]{key}[/]"
        if description:
            text += f" [$footer-description-foreground]{escape(description)}[/]"
        return f"[@click=app.simulate_key('{press}')]{text}[/]"

    def _update(self) -> None:
        if not self.is_attached:
            return
        active = self.screen.active_bindings
        shown: dict[str, Binding] = {}
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and enabled and binding.action not in shown:
                shown[binding.action] = binding
        parts = []
        for group, members in groupby(shown.values(), lambda b: b.group):
            items = list(members)
            if group is not None and len(items) > 1:
                keys = "".join(self._key(b, "") for b in items)
                parts.append(f"{keys} [$footer-description-foreground]{group.description}[/]")
            else:
                parts += [self._key(b, b.description) for b in items]
        self.query_one("#key-bar-keys", Static).update(" " + "  ".join(parts))
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        self.query_one("#key-bar-palette", Static).update(
            f"▏{self._key(palette.binding, 'palette')} " if palette else ""
        )
