"""What ``find`` prints about how many cases matched."""

from __future__ import annotations

from complaints_tui.domain.vocab import Vocabularies
from complaints_tui.report.found_text import found_text
from complaints_tui.services.lists_model import CaseHit, Found

HIT = CaseHit("CT-2026-00001", "statutory", "Sam Smith", "Late reply", "open")


def test_a_capped_count_says_it_stopped_counting() -> None:
    capped = found_text(Found("smith", 1000, (HIT,), capped=True), Vocabularies())
    assert capped.startswith("1,000+ cases match 'smith' (the newest 1 shown; --limit for more):")
    exact = found_text(Found("smith", 2, (HIT, HIT)), Vocabularies())
    assert exact.startswith("2 cases match 'smith':")
