"""A proposed mapping: each of our columns matched to the team's closest heading, and every
word found in their vocabulary columns with the key it means, as a mapping file to correct.

Words the synonyms place are written as they are; a word nothing places is written
commented out with the key closest in spelling, so nothing is imported on a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any

from complaints_tui.domain.vocab import Vocabularies

from .cells import cell_text
from .columns import COLUMNS, DETAIL_COLUMNS, EXPORT_ONLY
from .guess import guess_heading, holds_dates, holds_procedures, holds_stages
from .layout import heading_text
from .mapping import NO_MAPPING, Mapping, toml_string
from .sheets import find_header
from .sources import open_source
from .word_choices import collect_words
from .words import Words, match_heading, norm

SAMPLE = 500
"""Rows read before the columns are placed: enough to tell what a column holds."""


@dataclass
class Proposal:
    path: Path
    sheet: str | None
    header_line: int
    unit: str
    columns: dict[str, str] = field(default_factory=dict)
    """Our column -> the team's heading."""
    ignored: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    """Every heading of the file, in its order."""
    headings_at: dict[int, str] = field(default_factory=dict)
    """The header cell of each heading."""
    words: dict[str, dict[str, str | None]] = field(default_factory=dict)
    """Our column -> {their word: our key, or None when nothing places it}."""
    closest: dict[tuple[str, str], str | None] = field(default_factory=dict)
    every_sheet: bool = False
    """Every sheet of the workbook read together (the officer asked for it)."""

    @property
    def unknown(self) -> list[tuple[str, str, str | None]]:
        """(column, word, closest key) of each word no synonym places."""
        return [
            (column, word, self.closest.get((column, word)))
            for column, table in self.words.items()
            for word, key in table.items()
            if key is None
        ]


def propose(
    path: Path, vocab: Vocabularies, sheet: str | None = None, *, whole: bool = True
) -> Proposal:
    """Read ``path`` and propose a mapping (Unreadable if the file cannot be read). Not
    ``whole``: the words of the first rows alone (the Import screen gathers the rest as it
    checks the file, rather than read it twice)."""
    source = open_source(path, sheet)
    rows = source.rows
    peeked, best = find_header(rows, NO_MAPPING)
    proposal = Proposal(Path(path), source.sheet, 0, source.unit)
    if best < 0:
        return proposal
    proposal.header_line, header = peeked[best]
    sample = [cells for _, cells in peeked[best + 1 :]]
    for _, cells in rows:
        sample.append(cells)
        if len(sample) >= SAMPLE:
            break
    words = Words(vocab, {})
    proposal.headings_at = {at: h for at, c in enumerate(header) if (h := heading_text(c))}
    proposal.headings = list(proposal.headings_at.values())
    index = _place(proposal.headings_at, sample, words)
    for column, at in index.items():
        if column not in EXPORT_ONLY:
            proposal.columns[column] = proposal.headings_at[at]
    placed = set(proposal.columns.values())
    proposal.ignored = [h for h in proposal.headings if h not in placed]
    rest = (cells for _, cells in rows) if whole else ()
    found = collect_words(index, chain(sample, rest), words)
    proposal.words, proposal.closest = found.words, found.closest
    return proposal


def _place(
    headings: dict[int, str], sample: Sequence[Sequence[Any]], words: Words
) -> dict[str, int]:
    """Our column -> the header cell feeding it: by synonym, then by the heading's words,
    then (for the procedure, the stage and the date received) by what the cells hold."""
    index: dict[str, int] = {}
    pending: list[tuple[int, str]] = []
    for at, heading in headings.items():
        column = match_heading(heading)
        if column is None or column in index:
            pending.append((at, heading))
        else:
            index[column] = at
    for at, heading in pending:
        column = guess_heading(heading, index)
        if column is not None:
            index[column] = at
    unplaced = [at for at, _ in pending if at not in index.values()]

    def texts(at: int) -> set[str]:
        return {cell_text(cells[at]) for cells in sample if at < len(cells)} - {""}

    def cells_of(at: int) -> list[Any]:
        return [cells[at] for cells in sample if at < len(cells)]

    if "procedure" not in index and not (
        "stage" in index and holds_procedures(texts(index["stage"]), words)
    ):
        free = unplaced + [index[c] for c in ("themes", "summary") if c in index]
        for at in sorted(free):
            if holds_procedures(texts(at), words):
                for column in [c for c, i in index.items() if i == at]:
                    del index[column]
                index["procedure"] = at
                unplaced = [i for i in unplaced if i != at]
                break
    if "stage" not in index:
        for at in unplaced:
            if holds_stages(texts(at), words):
                index["stage"] = at
                unplaced.remove(at)
                break
    if "received" not in index:
        for at in unplaced:
            if holds_dates(cells_of(at)):
                index["received"] = at
                break
    return index


def as_mapping(proposal: Proposal, columns: dict[str, str] | None = None) -> Mapping:
    """The mapping to check the file with: the proposal's columns (or ``columns``, as the
    officer changed them), every other heading ignored, the words it recognised."""
    chosen = proposal.columns if columns is None else columns
    used = {norm(h) for h in chosen.values()}
    words = {
        column: {word: key for word, key in table.items() if key is not None}
        for column, table in proposal.words.items()
        if column in chosen and chosen[column] == proposal.columns.get(column)
    }
    return Mapping(
        columns=dict(chosen),
        ignore=frozenset(norm(h) for h in proposal.headings if norm(h) not in used),
        words=words,
        sheet=proposal.sheet,
        every_sheet=proposal.every_sheet,
        source=None,
    )


def with_columns(proposal: Proposal, columns: dict[str, str]) -> Proposal:
    """The proposal as the officer has changed it: ``columns`` feed our columns, every
    other heading is ignored, and the words of a column now fed from another heading are
    dropped (they were read from the old one)."""
    placed = set(columns.values())
    return replace(
        proposal,
        columns=dict(columns),
        ignored=[h for h in proposal.headings if h not in placed],
        words={
            column: table
            for column, table in proposal.words.items()
            if columns.get(column) == proposal.columns.get(column)
        },
    )


def mapping_text(proposal: Proposal, today: date) -> str:
    """The proposal as a mapping file, commented for the officer who will correct it."""
    where = f"{proposal.path.name}" + (f", sheet '{proposal.sheet}'" if proposal.sheet else "")
    lines = [
        f"# Mapping proposed by complaints-tui on {today:%d/%m/%Y} from {where}.",
        "# Correct it where it is wrong, then: complaints-tui import FILE --mapping THIS.toml",
        "# Headings and words are matched ignoring case, spacing and punctuation.",
        "",
    ]
    if proposal.every_sheet:
        lines.append("# Every sheet with this header, read together as one log.")
        lines.append("all_sheets = true")
    elif proposal.sheet:
        lines.append(f"sheet = {toml_string(proposal.sheet)}")
    lines.append("# Your headings that feed none of our columns: read, not imported.")
    lines.append("ignore = [" + ", ".join(toml_string(h) for h in proposal.ignored) + "]")
    lines += [
        "",
        f"# Our column = your heading (the header is {proposal.unit} {proposal.header_line}).",
        "[columns]",
    ]
    for column in COLUMNS:
        if column in proposal.columns:
            lines.append(f"{column} = {toml_string(proposal.columns[column])}")
        else:
            lines.append(f'# {column} = ""  # none of your headings looked like it')
    details = [c for c in DETAIL_COLUMNS if c in proposal.columns]
    lines += ["# The rest of a case's record, where your sheet has it:"]
    lines += [f"{column} = {toml_string(proposal.columns[column])}" for column in details]
    others = [c for c in DETAIL_COLUMNS if c not in proposal.columns]
    if others:
        lines.append(f"# (also: {', '.join(others)})")
    for column, table in proposal.words.items():
        lines += ["", f"# Your words in '{proposal.columns[column]}' and the key each means."]
        if column in ("procedure", "stage"):
            lines.append("# A procedure may carry its stage: 'statutory 1'.")
        lines.append(f"[words.{column}]")
        for word, key in table.items():
            if key is not None:
                lines.append(f"{toml_string(word)} = {toml_string(key)}")
            else:
                closest = proposal.closest.get((column, word))
                guess = toml_string(closest) if closest else '""'
                lines.append(
                    f"# {toml_string(word)} = {guess}  # not recognised: "
                    + (
                        "the closest key by spelling; check it and remove the #"
                        if closest
                        else "write our key and remove the #"
                    )
                )
    return "\n".join(lines) + "\n"
