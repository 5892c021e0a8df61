"""Text from outside (a spreadsheet, a form, a note) shown safely on a terminal.

A summary or a name may carry control characters: an escape sequence in an imported cell
could recolour the screen, move the cursor, retitle the window or hide text; a carriage
return could overwrite a line; a bidirectional override could make a reference read
backwards. Everything the program shows of such text goes through :func:`printable`,
which replaces each of them with a visible mark (the character's Unicode "control
picture", e.g. ``␛`` for escape), so the officer sees that something odd was there and
nothing reaches the terminal as a command.
"""

from __future__ import annotations

ESCAPE_MARK = "\u241b"  # ␛
OTHER_MARK = "\ufffd"  # �: C1 controls and direction overrides have no control picture

_MARKS: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20)}
_MARKS[0x7F] = "\u2421"  # ␡
_MARKS.update({c: OTHER_MARK for c in range(0x80, 0xA0)})
_MARKS.update({c: OTHER_MARK for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})

_MULTI_LINE = {**_MARKS, ord("\n"): "\n", ord("\t"): "\t"}
"""Lines and tabs kept: a note may have several lines (show, the case screen)."""

_ONE_LINE = {**_MARKS, ord("\n"): " \u21b5 ", ord("\t"): " "}
"""A table cell is one line: a line break shows as ↵, a tab as a space."""


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control or direction-override character made a visible mark."""
    if text.isprintable():  # nearly all text: no copy
        return text
    return text.translate(_ONE_LINE if one_line else _MULTI_LINE)
