"""Text as search compares it: case and accents ignored, so 'zoe' finds "Zoë".

Written into the database beside the case (``cases.search_text``) whenever a searched
field changes, and applied to what the officer types, so both sides meet in one form
that a plain substring index (SQLite FTS5 trigram, PostgreSQL pg_trgm) can answer.
"""

from __future__ import annotations

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

MIN_INDEXED = 3
"""A substring index is made of three-character pieces: shorter words cannot use it."""


def fold(text: str) -> str:
    """``text`` without accents (NFKD, combining marks dropped), case-folded."""
    if text.isascii():
        return text.lower()  # the common case, and what casefold gives for ASCII
    decomposed = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.casefold()


def searchable(parts: Iterable[str | None]) -> str:
    """The folded text a case is found by: its searched fields, one a line."""
    # Folded once, joined: folding works a character at a time (a line break starts a new
    # one for NFKD's reordering too), so this is the parts folded one by one, in a third of
    # the calls.
    return fold("\n".join(" ".join(p.split()) for p in parts if p and p.strip()))


def search_words(typed: str) -> list[str]:
    """The words of what the officer typed, folded: each must occur somewhere."""
    return fold(typed).split()
