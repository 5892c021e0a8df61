"""Text as search compares it: case and accents ignored, so 'zoe' finds "Zoë".

Written into the database beside the case (``cases.search_text``) whenever a searched
field changes, and applied to what the officer types, so both sides meet in one form
that a plain substring index (SQLite FTS5 trigram, PostgreSQL pg_trgm) can answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_NOT_DECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ħ": "h",
        "ı": "i",
        "æ": "ae",
        "Æ": "ae",
    }
)
"""Letters that carry their mark in the glyph itself, so NFKD leaves them whole."""
_UNDECOMPOSED = re.compile("[" + "".join(chr(c) for c in _NOT_DECOMPOSED) + "]")
"""Whether a text holds any of them: str.translate walks every character in Python's
dictionary, most of a folded name's time, for letters few names have."""
_MARKS = re.compile(
    "[" + "".join(c for c in map(chr, range(0x300, 0x370)) if unicodedata.combining(c)) + "]"
)
"""The combining diacritical marks (U+0300-U+036F, which NFKD leaves after a Latin letter),
taken out in one pass; any other combining mark is then looked for character by character."""

MIN_INDEXED = 3
"""A substring index is made of three-character pieces: shorter words cannot use it."""


def fold(text: str) -> str:
    """``text`` without accents (NFKD, combining marks dropped), case-folded."""
    if text.isascii():
        return text.lower()  # the common case, and what casefold gives for ASCII
    if _UNDECOMPOSED.search(text):
        text = text.translate(_NOT_DECOMPOSED)
    bare = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    if not bare.isascii():  # Greek, Cyrillic, or marks outside the Latin block
        bare = "".join(ch for ch in bare if not unicodedata.combining(ch))
    return bare.casefold()


def searchable(parts: Iterable[str | None]) -> str:
    """The folded text a case is found by: its searched fields, one a line."""
    # Folded once, joined: folding works a character at a time (a line break starts a new
    # one for NFKD's reordering too), so this is the parts folded one by one, in a third of
    # the calls.
    return fold("\n".join([" ".join(p.split()) for p in parts if p and not p.isspace()]))


def search_words(typed: str) -> list[str]:
    """The words of what the officer typed, folded: each must occur somewhere."""
    return fold(typed).split()
