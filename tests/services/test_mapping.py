"""Headings and words matched as teams write them; the shipped example mapping file."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaints_tui.domain.vocab import Vocabularies
from complaints_tui.services.importing.mapping import load_mapping
from complaints_tui.services.importing.words import Words, match_heading

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mapping.toml"


@pytest.mark.parametrize(
    ("heading", "column"),
    [
        ("Ref No", "reference"),
        ("REF. NO.", "reference"),
        ("Date Rec'd", "received"),
        ("date recd", "received"),
        ("Type of complaint", "procedure"),
        ("Stage", "stage"),
        ("Outcome", "outcome"),
        ("Team", "service"),
        ("Favourite colour", None),
    ],
)
def test_headings_by_synonym_ignoring_case_and_punctuation(heading: str, column: str) -> None:
    assert match_heading(heading) == column


@pytest.mark.parametrize(
    ("column", "word", "key"),
    [
        ("outcome", "Partially Upheld", "partially_upheld"),
        ("outcome", "Not upheld ", "not_upheld"),
        ("outcome", "NFA", "no_finding"),
        ("outcome", "Fault causing injustice", "fault_injustice"),  # our own label
        ("complainant", "Parent / step-parent", "parent"),
        ("channel", "E-mail", "email"),
        ("extended", "Y", "yes"),
        ("outcome", "Sort of", None),
    ],
)
def test_words_by_synonym_and_our_labels(column: str, word: str, key: str | None) -> None:
    assert Words(Vocabularies(), {}).key(column, word) == key


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Stage 1 - Statutory", ("statutory", 1)),
        ("statutory stage 2", ("statutory", 2)),
        ("MP enquiry", ("mp", None)),
        ("Ombudsman (LGSCO)", ("lgsco", None)),
        ("S2 Corporate", ("corporate", 2)),
        ("3", (None, 3)),
        ("Stage ²", None),
    ],
)
def test_a_procedure_cell_may_carry_its_stage(word: str, expected: object) -> None:
    assert Words(Vocabularies(), {}).procedure_and_stage("procedure", word) == expected


def test_the_shipped_example_mapping_loads() -> None:
    mapping = load_mapping(EXAMPLE, Vocabularies())
    assert mapping.columns["reference"] == "Ref No" and mapping.sheet == "Complaints 2023-24"
    words = Words(Vocabularies(), mapping.words)
    assert words.procedure_and_stage("procedure", "stage 1 statutory") == ("statutory", 1)
    assert words.key("outcome", "part") == "partially_upheld"
