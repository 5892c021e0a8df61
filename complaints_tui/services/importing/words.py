"""A team's own headings and words, matched to our columns and keys.

Matching ignores case, spacing and punctuation ("Date Rec'd", "date recd" and "DATE-RECD" are
one heading), and goes by the synonyms teams use, not by spelling alone: "Ref No" is the
reference, "NFA" is no finding, "Stage 1 - Statutory" is a statutory complaint at stage 1.
Our own keys and the labels our screens show ("MP enquiry", "Partially upheld") always match.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from complaints_tui.domain.vocab import PROCEDURES, Vocabularies

from .columns import COLUMNS, DETAIL_COLUMNS, EXPORT_ONLY
from .synonyms import HEADINGS, PROCEDURE_WORDS, WORDS

_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """The words of ``text``, case-folded, without spacing or punctuation."""
    return _TOKEN.findall(text.casefold())


def norm(text: str) -> str:
    """What two spellings of one heading or word have in common: 'Not upheld ' is notupheld."""
    return "".join(tokens(text))


NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "first": 1,
    "second": 2,
    "third": 3,
    "1st": 1,  # "1st", "2nd stage": a register's ordinals
    "2nd": 2,
    "3rd": 3,
    "i": 1,
    "ii": 2,
    "iii": 3,
}


class Words:
    """Translates a team's words to our keys: its mapping file's words, then the synonyms."""

    def __init__(self, vocab: Vocabularies, own: Mapping[str, Mapping[str, str]]) -> None:
        self.own = {
            column: {norm(w): key for w, key in table.items()} for column, table in own.items()
        }
        self.tables: dict[str, dict[str, str]] = {}
        self.tables["procedure"] = _table(PROCEDURES, PROCEDURE_WORDS)
        outcome = _table(vocab.tables["outcome"], WORDS["outcome"])
        outcome.update(
            {
                k: v
                for k, v in _table(vocab.tables["duty_category"], WORDS["duty_category"]).items()
                if k not in outcome
            }
        )
        self.tables["outcome"] = outcome
        for name in ("complainant", "channel"):
            self.tables[name] = _table(vocab.tables[name], WORDS[name])
        self.tables["extended"] = {norm(w): k for k, ws in WORDS["extended"].items() for w in ws}
        self._cache: dict[tuple[str, str], str | None] = {}
        self._placed: dict[tuple[str, str], tuple[str | None, int | None] | None | str] = {}

    def key(self, column: str, text: str) -> str | None:
        """Our key for the team's word in ``column``, or None when it is not known."""
        found = self._cache.get((column, text), "")
        if found != "":
            return found
        word = norm(text)
        own = self.own.get(column, {})
        result = own.get(word) if word in own else self.tables.get(column, {}).get(word)
        if len(self._cache) < 10_000:  # teams have few distinct words; summaries are not cached
            self._cache[(column, text)] = result
        return result

    def procedure_and_stage(self, column: str, text: str) -> tuple[str | None, int | None] | None:
        """A procedure or stage cell: 'Stage 1 - Statutory', 'Statutory 2', 'MP enquiry', '2'.

        Returns (procedure or None, stage or None), or None when the words are not known.
        """
        own = self.own.get(column, {}).get(norm(text))
        if own is not None:
            return parse_procedure_value(own)
        found = self._placed.get((column, text), "")
        if found == "":
            found = self._read_procedure_and_stage(text)
            if len(self._placed) < 10_000:
                self._placed[(column, text)] = found
        return found

    def _read_procedure_and_stage(self, text: str) -> tuple[str | None, int | None] | None:
        words = tokens(text)
        stage: int | None = None
        rest: list[str] = []
        for word in words:
            number = _stage_number(word)
            if number is not None and stage is None:
                stage = number
            elif word != "stage":
                rest.append(word)
        named, rest = _stage_name(rest)  # "Stage 1 (Local Resolution)", "Review panel"
        if named is not None:
            if stage is not None and stage != named:
                return None  # "Stage 2 - Local resolution" says two things: the officer decides
            stage = named
        if not rest:
            return (None, stage) if stage is not None else None
        table = self.tables["procedure"]
        procedure = table.get("".join(rest))
        if procedure is None:
            procedure = _one_procedure(rest, table)
        if procedure is None:
            return None
        return procedure, stage

    def closest(self, column: str, text: str) -> str | None:
        """The key whose words are spelt most like ``text`` (for a proposal to show)."""
        table = self.tables.get("procedure" if column == "stage" else column, {})
        word = norm(text)
        if column == "stage" and any(_stage_number(t) is not None for t in tokens(text)):
            return None  # "Stage 4" is a stage no procedure has, not a misspelt procedure
        if not table or len(word) > 40:  # a paragraph is no misspelt key, and slow to compare
            return None
        match = difflib.get_close_matches(word, list(table), n=1, cutoff=0.5)
        return table[match[0]] if match else None


def _table(labels: Mapping[str, str], synonyms: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for key, words in synonyms.items():
        for word in words:
            table.setdefault(norm(word), key)
    for key, label in labels.items():  # our keys and labels win over any synonym
        table[norm(key)] = key
        table[norm(label)] = key
    return table


STAGE_NAMES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("local", "resolution"), 1),
    (("independent", "investigation"), 2),
    (("investigation",), 2),
    (("review", "panel"), 3),
    (("panel",), 3),
)
"""The statutory procedure's names for its stages, as teams write them beside or for the number."""


def _stage_name(words: list[str]) -> tuple[int | None, list[str]]:
    """The stage a name among ``words`` gives, and the words left without it."""
    for name, number in STAGE_NAMES:
        for at in range(len(words) - len(name) + 1):
            if tuple(words[at : at + len(name)]) == name:
                return number, words[:at] + words[at + len(name) :]
    return None, words


def _one_procedure(words: list[str], table: Mapping[str, str]) -> str | None:
    """The procedure the phrases inside ``words`` name, when they name exactly one.

    "Statutory (Children Act)" holds "statutory" and "children act", both statutory;
    "Local Government Ombudsman enquiry" holds "local government ombudsman" and "ombudsman
    enquiry" (the "enquiry" inside them is no general enquiry). Two procedures: None.
    """
    covered: set[int] = set()
    found: set[str] = set()
    for length in range(len(words) - 1, 0, -1):
        for at in range(len(words) - length + 1):
            span = set(range(at, at + length))
            if span <= covered:
                continue
            procedure = table.get("".join(words[at : at + length]))
            if procedure is not None:
                found.add(procedure)
                covered |= span
    return found.pop() if len(found) == 1 else None


def _stage_number(word: str) -> int | None:
    if word.isascii() and word.isdigit():
        return int(word)
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    if len(word) == 2 and word[0] == "s" and word[1] in "123":  # "S1"
        return int(word[1])
    return None


def parse_procedure_value(value: str) -> tuple[str | None, int | None]:
    """A mapping file's value for a procedure or stage word: 'statutory 1', 'mp', '2'."""
    parts = [p for p in tokens(value) if p != "stage"]
    stage = next((int(p) for p in parts if p.isascii() and p.isdigit()), None)
    names = [p for p in parts if not (p.isascii() and p.isdigit())]
    procedure = "_".join(names) or None
    return procedure, stage


def match_heading(heading: str) -> str | None:
    """Our column for one of the team's headings, by name or synonym; None if none fits."""
    return _HEADING_TABLE.get(norm(heading))


_HEADING_TABLE: dict[str, str] = {}
for _column, _words in HEADINGS.items():
    for _word in _words:
        _HEADING_TABLE.setdefault(norm(_word), _column)
for _column in (*COLUMNS, *EXPORT_ONLY, *DETAIL_COLUMNS):
    _HEADING_TABLE[norm(_column)] = _column
