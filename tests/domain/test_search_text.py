"""Search text folds the same with its shortcuts as by the rule, character by character."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from complaints_tui.domain.search_text import _NOT_DECOMPOSED, fold, searchable


def by_the_rule(text: str) -> str:
    """NFKD, every combining mark dropped, case-folded: the rule ``fold`` shortens."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


# Letters a council's names and summaries hold, with the awkward ones: marks composed and
# not, marks outside the Latin block, Greek and Cyrillic, ß, sigma, odd spaces.
_PIECES = st.sampled_from(
    [
        *"aZ09 -'\n\t",
        "é",
        "e\u0301",
        "Ë",
        "ø",
        "Ø",
        "ł",
        "æ",
        "Æ",
        "đ",
        "ħ",
        "ı",
        "ß",
        "ẞ",
        "Σ",
        "ς",
        "ﬁ",
        "Å",
        "\u034f",
        "\u0483",
        "\u05b0",
        "\u1dc0",
        "\u20d7",
        "\u00a0",
        "\u2003",
        "Ω",
        "Ж",
        "ё",
        "\u0308",
        "ǅ",
        "½",
        "Ⅻ",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_fold_is_the_rule(text: str) -> None:
    assert fold(text) == by_the_rule(text)


def test_the_names_an_officer_searches_for() -> None:
    assert fold("Zoë Brontë") == "zoe bronte"
    assert fold("Søren Łukasz Æsir") == "soren lukasz aesir"
    assert fold("Straße") == "strasse"
    assert searchable(["CT-1", None, "  ", "Zoë   O'Brien", "Late\treply"]) == (
        "ct-1\nzoe o'brien\nlate reply"
    )
