"""Guesses a proposal makes where no synonym names a heading: by its words, then by its cells.

Teams write headings no list of synonyms holds ("Date Complaint Received", "Ext agreed
(Y/N)", "Investigating Officer"), and some put the procedure in a column headed as
something else ("Complaint Category" holding "Stage One Corporate", "MP Enquiry"). Only a
proposal guesses: it is written out for the officer to check, while an import without a
mapping still goes by the synonyms alone, so nothing is stored on a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from .cells import cell_date
from .words import Words, match_heading, tokens

FILLER = frozenset(
    {"date", "of", "the", "a", "an", "complaint", "complaints", "case", "cases", "y", "n", "yn"}
    | {"if", "any", "was", "is", "to", "by", "for", "and", "or", "please", "tick", "enter"}
)
"""Words a heading carries that say nothing of which column it is."""

_EXT = ("ext", "extn", "extension", "extensions", "extended", "extend")


def _has(words: set[str], *wanted: str) -> bool:
    return any(w in words for w in wanted)


def _starts(words: set[str], *stems: str) -> bool:
    return any(w.startswith(stem) for w in words for stem in stems)


# (our column, test on the heading's words): the first that fits wins. Narrow tests come
# before broad ones: "Extension reason" before "Extension", "Response due" before "Response".
_RULES: tuple[tuple[str, Callable[[set[str]], bool]], ...] = (
    ("due", lambda w: _has(w, "due", "deadline", "target")),
    ("working_days_taken", lambda w: _has(w, "days") and not _has(w, *_EXT)),
    ("on_time", lambda w: _has(w, "timescale", "timescales", "ontime", "late")),
    ("extension_reason", lambda w: _has(w, *_EXT) and _has(w, "reason", "why")),
    ("extension_agreed", lambda w: _has(w, *_EXT) and _has(w, "date", "when")),
    ("extended", lambda w: _has(w, *_EXT)),
    ("acknowledged", lambda w: _starts(w, "ack")),
    (
        "complainant_name",
        lambda w: _has(w, "name") and not _has(w, "officer", "team", "child", "childs", "young"),
    ),
    ("officer", lambda w: _starts(w, "officer", "investigat", "handl", "caseworker", "allocat")),
    ("channel", lambda w: _has(w, "how", "method", "channel", "via", "source", "format")),
    ("complainant", lambda w: "by" in w and _has(w, "raised", "made", "submitted", "who")),
    (
        "received",
        lambda w: (
            "by" not in w and _has(w, "received", "recd", "rec", "logged", "opened", "raised")
        ),
    ),
    (
        "responded",
        lambda w: _has(w, "responded", "response", "replied", "reply", "closed", "completed"),
    ),
    ("outcome", lambda w: _has(w, "outcome", "result", "finding", "findings", "upheld")),
    ("child_statuses", lambda w: _has(w, "child", "childs", "cla", "lac", "cin") and "status" in w),
    ("advocate", lambda w: _starts(w, "advoca")),
    ("complainant", lambda w: _starts(w, "complainant", "relationship")),
    ("stage", lambda w: _has(w, "stage", "level")),
    ("procedure", lambda w: _has(w, "procedure", "type")),
    ("division", lambda w: _has(w, "division", "directorate", "department", "area")),
    ("service", lambda w: _has(w, "team", "service", "unit")),
    ("themes", lambda w: _starts(w, "theme", "issue", "categor", "subject")),
    ("summary", lambda w: _starts(w, "summar", "detail", "descri", "nature", "comment")),
)


def guess_heading(heading: str, taken: Iterable[str]) -> str | None:
    """Our column for a heading no synonym names, by its words; None when none fits.

    ``taken`` are the columns already placed: a guess never takes one of them.
    """
    used = set(taken)
    words = tokens(heading)
    plain = [w for w in words if w not in FILLER]
    if plain and plain != words:
        column = match_heading(" ".join(plain))  # "Date Complaint Received" is "received"
        if column is not None and column not in used:
            return column
    found = set(words)
    for column, fits in _RULES:
        if column not in used and fits(found):
            return column
    return None


SURE = 0.8
"""The share of a column's distinct words that must read one way for a guess by content."""


def _mostly(cells: Iterable[object], fits: Callable[[object], bool]) -> bool:
    """Whether at least ``SURE`` of a column's non-empty cells fit (none: no)."""
    seen = [c for c in cells if c is not None and c != ""]
    return bool(seen) and sum(1 for c in seen if fits(c)) >= SURE * len(seen)


def holds_procedures(values: Iterable[str], words: Words) -> bool:
    """Whether a column's words read as procedures ('Stage One Corporate', 'MP Enquiry')."""

    def fits(value: object) -> bool:
        found = words.procedure_and_stage("procedure", str(value))
        return found is not None and bool(found[0])

    return _mostly(values, fits)


def holds_stages(values: Iterable[str], words: Words) -> bool:
    """Whether a column's words are stage numbers alone ('1', 'Stage 2', 'Two')."""

    def fits(value: object) -> bool:
        found = words.procedure_and_stage("stage", str(value))
        return found is not None and found[0] is None and found[1] in (1, 2, 3)

    return _mostly(values, fits)


def holds_dates(cells: Iterable[object]) -> bool:
    """Whether a column's cells are dates (date cells or dates typed as text, not numbers)."""

    def fits(cell: object) -> bool:
        if isinstance(cell, datetime | date):
            return True
        if not isinstance(cell, str):
            return False
        try:
            cell_date(cell)
        except ValueError:
            return False
        return True

    return _mostly(cells, fits)
