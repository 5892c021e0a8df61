"""Outside text cannot drive the terminal: every control character becomes a visible mark."""

from __future__ import annotations

from complaints_tui.domain.printable import printable

HOSTILE = "Smith\x1b[2J\x1b]0;owned\x07\rDue 01/01/2020\x9b31m\u202eSPU\x7f"


def test_escape_sequences_and_controls_become_visible_marks() -> None:
    shown = printable(HOSTILE)
    assert shown == "Smith␛[2J␛]0;owned␇␍Due 01/01/2020�31m�SPU␡"
    assert all(ch.isprintable() for ch in shown)


def test_lines_are_kept_in_a_note_and_marked_in_a_cell() -> None:
    assert printable("line one\nline two\tend") == "line one\nline two\tend"
    assert printable("line one\nline two\tend", one_line=True) == "line one ↵ line two end"


def test_ordinary_text_is_unchanged() -> None:
    for text in ("Siobhán O'Neill", "Zoë — £250 “thanks”", "ward: Lichfield & Burntwood", ""):
        assert printable(text) == text
        assert printable(text, one_line=True) == text
