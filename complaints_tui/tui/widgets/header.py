"""Textual's Header, its title changed without laying out the screen again.

Header updates its title with ``Static.update``, which lays out the whole screen and so
repaints every widget on it. The title's box is one line the width of the screen whatever
it says, so on the case list, whose sub-title (the count) changes with nearly every
keystroke, that layout was one of the whole-screen repaints each key paid for.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.visual import VisualType
from textual.widgets import Header
from textual.widgets._header import HeaderClockSpace, HeaderIcon, HeaderTitle


class _Title(HeaderTitle):
    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        # Header asks for a layout; the box (width 100%, the header's one line) cannot
        # change with the text, so a repaint of this line is all a new title needs.
        super().update(content, layout=False)


class StillHeader(Header):
    """A Header (no clock) whose title and sub-title repaint only the title's line."""

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield _Title()
        yield HeaderClockSpace()
