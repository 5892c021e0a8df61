"""The team's words in each vocabulary column, the key each means, and the keys an officer
may give a word instead (the Import screen corrects words with these; the proposal lists
them in the mapping file).

A word is keyed as the import would key it: the mapping's own words, then the synonyms. A
word nothing places has no key, with the key closest in spelling offered, never applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from complaints_tui.domain.vocab import PROCEDURES, STAGED_PROCEDURES, Vocabularies, stage_label

from .cells import cell_text
from .sources import open_source
from .synonyms import VOCABULARY_COLUMNS
from .words import Words, norm, parse_procedure_value

MAX_WORDS = 200
"""Distinct words listed per column: a vocabulary column has a handful; more is free text."""


@dataclass
class FoundWords:
    words: dict[str, dict[str, str | None]] = field(default_factory=dict)
    """Our column -> {their word: our key, or None when nothing places it}."""
    closest: dict[tuple[str, str], str | None] = field(default_factory=dict)
    """(column, word) -> the key spelt most like a word nothing places."""


class WordCollector:
    """Gathers every distinct word (up to MAX_WORDS) in each vocabulary column of
    ``columns_at`` (our column -> the header cell feeding it), row by row, as a check reads
    the file: then ``found`` keys them as the import would."""

    def __init__(self, columns_at: dict[str, int], words: Words) -> None:
        self.words = words
        self.at = {c: columns_at[c] for c in VOCABULARY_COLUMNS if c in columns_at}
        self.seen: dict[str, dict[str, str]] = {c: {} for c in self.at}
        self._slots: list[tuple[int, set[Any], dict[str, str]]] = [
            (at, set(), self.seen[c]) for c, at in self.at.items()
        ]
        """(cell, the cells read there, the words found there) of each column."""

    def add(self, cells: Sequence[Any]) -> None:
        width = len(cells)
        for at, raw, found in self._slots:
            if at < width:
                value = cells[at]
                # a cell met before costs one set lookup; past 4 * MAX_WORDS distinct cells
                # the column is free text rather than a vocabulary, and is not gathered
                if value not in raw and value is not None and len(raw) <= 4 * MAX_WORDS:
                    raw.add(value)
                    text = cell_text(value)
                    if text and len(found) < MAX_WORDS:
                        found.setdefault(norm(text), text)

    def found(self) -> FoundWords:
        result = FoundWords()
        words = self.words
        for column, found in self.seen.items():
            table: dict[str, str | None] = {}
            for text in found.values():
                key = word_key(words, column, text)
                table[text] = key
                if key is None:
                    result.closest[(column, text)] = words.closest(column, text)
            result.words[column] = table
        return result


def collect_words(
    columns_at: dict[str, int], rows: Iterable[Sequence[Any]], words: Words
) -> FoundWords:
    """Every distinct word (up to MAX_WORDS) in each vocabulary column of ``columns_at``,
    keyed as the import would key it."""
    collector = WordCollector(columns_at, words)
    for cells in rows:
        collector.add(cells)
    return collector.found()


def read_words(
    path: Path,
    sheet: str | None,
    header_line: int,
    columns_at: dict[str, int],
    vocab: Vocabularies,
) -> FoundWords:
    """The words of ``columns_at``'s vocabulary columns, read again from the file (when the
    officer feeds a column from another heading); Unreadable if the file cannot be read."""
    rows = (cells for number, cells in open_source(path, sheet).rows if number > header_line)
    return collect_words(columns_at, rows, Words(vocab, {}))


def word_key(words: Words, column: str, text: str) -> str | None:
    """Our key for the team's word in ``column`` as a mapping file writes it ('statutory 1'
    for a procedure carrying its stage), or None when nothing places it."""
    if column not in ("procedure", "stage"):
        return words.key(column, text)
    placed = words.procedure_and_stage(column, text)
    return None if placed is None else procedure_value(*placed)


def procedure_value(procedure: str | None, stage: int | None) -> str | None:
    """A procedure and stage as a mapping's key: 'statutory 1', 'mp', '2'."""
    if (procedure is None and stage is None) or (stage is not None and not 1 <= stage <= 3):
        return None  # nothing to say, or a stage no procedure has: the import will say so
    if procedure is None:
        return str(stage)
    return procedure if stage is None else f"{procedure} {stage}"


def key_choices(column: str, vocab: Vocabularies) -> list[str]:
    """The keys an officer may give one of the team's words in ``column``, in the order
    our screens list them."""
    if column in ("procedure", "stage"):
        staged = [
            f"{p} {n}" if n else p
            for p in PROCEDURES
            for n in ((1, 2, 3) if p in STAGED_PROCEDURES else (None,))
        ]
        numbers = ["1", "2", "3"]
        return [*numbers, *staged] if column == "stage" else [*staged, *numbers]
    if column == "outcome":
        keys = list(vocab.tables["outcome"])
        return keys + [k for k in vocab.tables["duty_category"] if k not in keys]
    if column == "extended":
        return ["yes", "no"]
    return list(vocab.tables[column])


def key_label(column: str, key: str | None, vocab: Vocabularies) -> str:
    """How our screens name ``key``: 'Statutory 1', 'Partially upheld', 'Stage 2'."""
    if key is None:
        return ""
    if column in ("procedure", "stage"):
        procedure, number = parse_procedure_value(key)
        if procedure is None:
            return f"Stage {number}"
        return stage_label(procedure, number)
    if column == "extended":
        return "Extended" if key == "yes" else "Not extended"
    if column == "outcome" and key not in vocab.tables["outcome"]:
        return vocab.label("duty_category", key)
    return vocab.label(column, key)
