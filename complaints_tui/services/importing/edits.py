"""The officer's corrections to a proposed mapping, as the Import screen keeps them: which
of the team's headings feeds each of our columns, and which key each of their words means.

One heading feeds one column. The words of a column were read from the heading feeding
it, so a column fed from another heading has its words read again (``reread``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from complaints_tui.domain.vocab import Vocabularies

from .columns import COLUMNS, DETAIL_COLUMNS
from .problems import Problems
from .propose import Proposal, as_mapping, with_columns
from .sheets import several_sheets
from .sources import open_source
from .synonyms import VOCABULARY_COLUMNS
from .word_choices import FoundWords, collect_words, key_choices, read_words
from .words import Words


@dataclass
class Edits:
    proposal: Proposal
    columns: dict[str, str] = field(default_factory=dict)
    """Our column -> the heading feeding it, as the officer has it now."""
    found: FoundWords = field(default_factory=FoundWords)
    """The team's words in each vocabulary column, with the key each means now."""
    rows: list[str] = field(default_factory=list)
    """Our columns, in the mapping table's order."""
    whole_words: bool = False
    """The words are every row's, not only those of the first rows the proposal read."""

    @classmethod
    def of(cls, proposal: Proposal) -> Edits:
        columns = dict(proposal.columns)
        return cls(
            proposal,
            columns,
            FoundWords(
                {column: dict(table) for column, table in proposal.words.items()},
                dict(proposal.closest),
            ),
            # Our main columns, then those of the rest of the record the file has (officer,
            # acknowledged...): a detail column no heading feeds would only lengthen the table.
            [*COLUMNS, *(c for c in DETAIL_COLUMNS if c in columns)],
        )

    @property
    def word_rows(self) -> list[tuple[str, str]]:
        """(our column, their word) of each word, in the words table's order."""
        return [
            (column, word)
            for column in VOCABULARY_COLUMNS
            for word in self.found.words.get(column, {})
        ]

    def next_heading(self, column: str, step: int) -> str | None:
        """Feed ``column`` from the heading ``step`` away (None: from no heading)."""
        choices: list[str | None] = [None, *self.proposal.headings]
        heading = choices[(choices.index(self.columns.get(column)) + step) % len(choices)]
        for other, used in list(self.columns.items()):
            if used == heading and other != column:
                del self.columns[other]  # one heading feeds one column
        if heading is None:
            self.columns.pop(column, None)
        else:
            self.columns[column] = heading
        self.found.words.pop(column, None)  # read again from the heading feeding it now
        self.found.words = {c: t for c, t in self.found.words.items() if c in self.columns}
        return heading

    def next_key(self, column: str, word: str, step: int, vocab: Vocabularies) -> str | None:
        """Give ``word`` the key ``step`` away: none, the closest in spelling, then ours in
        our screens' order."""
        closest = self.found.closest.get((column, word))
        choices = list(dict.fromkeys([None, closest, *key_choices(column, vocab)]))
        key = choices[(choices.index(self.found.words[column][word]) + step) % len(choices)]
        self.found.words[column][word] = key
        return key

    @property
    def reread(self) -> list[str]:
        """The vocabulary columns whose words must be read from the file again."""
        return [c for c in VOCABULARY_COLUMNS if c in self.columns and c not in self.found.words]

    def take_words(self, found: FoundWords, read_from: dict[str, str]) -> None:
        """The words read again (column -> the heading ``read_from``), for the columns still
        fed from the heading they came from; a word the officer gave a key keeps it."""
        for column, table in found.words.items():
            if self.columns.get(column) == read_from.get(column):
                self.found.words[column] = merged(self.found.words.get(column, {}), table)
        self.found.closest.update(found.closest)

    def shown(self) -> Proposal:
        """The proposal as the officer has changed it: to check with, or to save."""
        return replace(
            with_columns(self.proposal, dict(self.columns)),
            words={column: dict(table) for column, table in self.found.words.items()},
            closest=dict(self.found.closest),
        )


def merged(kept: dict[str, str | None], read: dict[str, str | None]) -> dict[str, str | None]:
    """The words ``read`` again, each keeping the key ``kept`` gave it."""
    return {word: kept.get(word, key) if word in kept else key for word, key in read.items()}


def words_again(
    shown: Proposal, columns: list[str], vocab: Vocabularies, *, every_sheet: bool
) -> FoundWords:
    """The words of ``columns`` read again from the file, with the headings ``shown`` feeds
    them from: from the proposal's sheet, or from every sheet read together. Unreadable if
    the file cannot be read."""
    at = {heading: cell for cell, heading in shown.headings_at.items()}
    if every_sheet:
        names = open_source(shown.path).sheets
        sheets = several_sheets(shown.path, names, as_mapping(shown), Problems(), every=True)
        if sheets is not None:  # else the check will say why; the first sheet's words meanwhile
            index = sheets.layout.index
            cells = {column: index[column] for column in columns if column in index}
            rows = (values for _, values in sheets.rows)
            return collect_words(cells, rows, Words(vocab, {}))
    cells = {column: at[shown.columns[column]] for column in columns}
    return read_words(shown.path, shown.sheet, shown.header_line, cells, vocab)
