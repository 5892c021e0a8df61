"""The case list's search box: an Input whose typing does not lay out the screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SearchBox(Input):
    """Input asks for a layout of the whole screen on every letter, by growing its
    virtual width, so each keystroke repainted every widget on the screen. Its box is one
    line across the screen whatever it holds (compact, width 100%); the virtual width only
    bounds the horizontal scroll, which reads it directly, so no layout is needed."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
