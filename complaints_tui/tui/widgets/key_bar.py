"""The footer's keys as text: one line, or more when a screen has more keys than fit, so
every key of the screen is on it (none cut off at the right edge).

Textual's Footer builds a widget per key and rebuilds them all whenever focus moves;
on these screens that was most of the 300 ms budget for opening the case list. KeyBar
is a Footer (same place, same colours, same keys from the screen's bindings) drawn as one
line that is updated, not rebuilt. Clicking a key presses it.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Static


class KeyBar(Footer):
    DEFAULT_CSS = """
    KeyBar {
        layout: horizontal;
        height: auto;
        max-height: 3;
        & > Static { height: auto; background: $footer-background; link-style: none; }
        & > #key-bar-keys { width: 1fr; }
        & > #key-bar-palette { width: auto; }
    }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: dict[str, str] = {}
        """Each part's markup as last set: the bar is asked to update eight times as the app
        starts (mount, sizes, bindings), mostly to the same text, and setting a Static's
        text parses it and lays the bar out again (10-20 ms each at launch)."""

    def compose(self) -> ComposeResult:
        self._shown = {}  # new, empty lines (a recompose too)
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
        # escape() leaves a lone "[" alone, which beside the bar's own "[/]" reads as a tag;
        # every key of a binding is shown ("[ ]" choose the stage), not only the first
        keys = [replace(binding, key=k.strip()) for k in binding.key.split(",")]
        key = " ".join(self.app.get_key_display(k) for k in keys).replace("[", r"\[")
        press = binding.key.split(",")[0].replace("'", "")
        text = f"[b $footer-key-foreground]{key}[/]"
        if description:
            text += f" [$footer-description-foreground]{escape(description)}[/]"
        return f"[@click=app.simulate_key('{press}')]{text}[/]"

    def _shown_key(self, binding: Binding) -> str:
        return " ".join(
            self.app.get_key_display(replace(binding, key=k.strip()))
            for k in binding.key.split(",")
        )

    @staticmethod
    def _lines(parts: list[tuple[str, int]], room: int) -> str:
        """The keys in lines of at most ``room`` cells, a key never parted from its words."""
        lines: list[list[str]] = [[]]
        used = 1
        for text, width in parts:
            if lines[-1] and used + 2 + width > room:
                lines.append([])
                used = 1
            used += width + (2 if lines[-1] else 0)
            lines[-1].append(text)
        return "\n".join(" " + "  ".join(line) for line in lines)

    def on_resize(self) -> None:
        self._update()

    def _update(self) -> None:
        if not self.is_attached:
            return
        active = self.screen.active_bindings
        shown: dict[str, Binding] = {}
        for _node, binding, enabled, _tooltip in active.values():
            if not (binding.show and enabled):
                continue
            if binding.action in shown:  # "[" and "]" of one binding: show both keys
                first = shown[binding.action]
                if binding.id is not None and binding.id == first.id:
                    shown[binding.action] = replace(first, key=f"{first.key},{binding.key}")
                continue
            shown[binding.action] = binding
        parts: list[tuple[str, int]] = []  # (markup, width on screen)
        for group, members in groupby(shown.values(), lambda b: b.group):
            items = list(members)
            if group is not None and len(items) > 1:
                keys = "".join(self._key(b, "") for b in items)
                text = f"{keys} [$footer-description-foreground]{group.description}[/]"
                width = sum(len(self._shown_key(b)) for b in items) + 1 + len(group.description)
                parts.append((text, width))
            else:
                parts += [
                    (self._key(b, b.description), len(self._shown_key(b)) + 1 + len(b.description))
                    for b in items
                ]
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        room = max(20, (self.size.width or self.app.size.width) - (14 if palette else 0))
        self._show("key-bar-keys", self._lines(parts, room))
        palette_text = f"▏{self._key(palette.binding, 'palette')} " if palette else ""
        self._show("key-bar-palette", palette_text)

    def _show(self, line: str, markup: str) -> None:
        if self._shown.get(line) != markup:
            self._shown[line] = markup
            self.query_one(f"#{line}", Static).update(markup)
