"""Reading the spreadsheet's rows into stage records, checking each cell on the way.

Each problem names the row (as the file numbers it) and the team's own heading.
"""

from __future__ import annotations

from datetime import date
from operator import itemgetter
from typing import Any

from ..context import Context
from .careful import CarefulReading
from .cells import CAREFUL, Careful, cell_text, fast_date
from .columns import COLUMNS, DETAIL_COLUMNS
from .details import DetailReader
from .layout import Layout
from .problems import Problems
from .sources import CELL_LIMIT
from .stage_rows import Row, StageKind, built, stage_kind
from .words import Words

_FAST_COLUMNS = COLUMNS
"""The first release's columns, which the fast path reads by position."""

_DAYS_REMEMBERED = 20_000
_KINDS_REMEMBERED = 20_000
"""Distinct combinations of a row's words remembered per file."""
"""Distinct date cells remembered per file: held to a size, however long the file."""


class RowReader(CarefulReading):
    """Turns each row of the file into a Row, adding a problem for every bad cell."""

    def __init__(
        self,
        ctx: Context,
        layout: Layout,
        words: Words,
        problems: Problems,
        existing: set[str],
        existing_stages: set[tuple[str, str, int]],
    ) -> None:
        self.ctx, self.layout, self.words, self.problems = ctx, layout, words, problems
        self.existing = existing
        """References already in the database."""
        self.existing_stages = existing_stages
        # A stage given twice in the file is found when its case's rows are grouped
        # (importing.grouping), which holds only the cases still open.
        vocab = ctx.policy.vocabularies
        self.outcomes = vocab.keys("outcome")
        self.duty_categories = vocab.keys("duty_category")
        self.known = {name: vocab.keys(name) for name in ("complainant", "channel")}
        self.width = len(layout.headings)
        self.quoted = problems.unit == "line"  # a CSV: cells may carry the export's quote
        self.index = layout.index
        self._at = tuple(layout.index.get(c, -1) for c in _FAST_COLUMNS)
        # The fast path's cells in one call; a column the file lacks reads the blank
        # that ``_read_fast`` puts after the row's cells.
        picked = [
            at if at >= 0 else self.width
            for column, at in zip(_FAST_COLUMNS, self._at, strict=True)
            if column not in ("received", "responded")  # read as dates, by fast_date
        ]
        self._pick = itemgetter(*picked)
        self._lacking = self.width in picked
        # Translations of the words met so far, filled by the careful path when a row had
        # no problem: a team has a few dozen distinct words over 100,000 rows.
        self._stages: dict[tuple[str, str], tuple[str, int]] = {}
        self._outcomes: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        self._extended: dict[str, bool] = {"": False}
        self._kinds: dict[tuple[str, str, str, str, str, str], StageKind] = {}
        """Each combination of a row's words met, as ``_kind_of_words`` read it."""
        self._days: dict[Any, date] = {}
        """Each received or responded cell's day, as ``fast_date`` read it (never blank)."""
        # One copy of each service, division, advocate and themes text: a team has a few
        # hundred, repeated over 100,000 rows (a fifth of the rows' memory otherwise).
        self._shared: dict[str, str] = {}
        self._line = 0
        self.details = (
            DetailReader(vocab, layout.index, self.quoted)
            if any(c in layout.index for c in DETAIL_COLUMNS)
            else None
        )
        self._keys: dict[str, dict[str, str | None]] = {
            "complainant": {"": None},
            "channel": {"": None},
        }

    def read(self, line: int, cells: list[Any]) -> Row | None:
        """The row's stage, or None (a blank row, or one with problems: they are added)."""
        try:
            row = self._read_fast(line, cells)
        except Careful:
            row = self._read_careful(line, cells)
        return self._with_details(line, cells, row)

    def _with_details(self, line: int, cells: list[Any], row: Row | None) -> Row | None:
        """``row`` with the case's details read from the detail columns (None if they
        had problems: they are added)."""
        if row is not None and self.details is not None:
            before = self.problems.count
            self._line = line  # the row ``_bad`` names (a closure a row cost as much)
            row.extra = self.details.read(cells, row.stage, self._bad)
            if self.problems.count > before:
                return None
        return row

    def _bad(self, column: str, reason: str) -> None:
        self.problems.add(self._line, self.layout.heading(column), reason)

    def _read_fast(self, line: int, cells: list[Any]) -> Row:
        """A row like those before it, every word already met: no problem is possible.

        Anything else (a new word, a blank or odd cell, a repeat) goes the careful way,
        which says what is wrong. Most of a 100,000-row import's time was here.
        """
        width = self.width
        if len(cells) != width:
            if len(cells) > width and any(c is not None and c != "" for c in cells[width:]):
                raise CAREFUL
            cells = [*cells[:width], *([None] * (width - len(cells)))]
        if self._lacking:
            cells.append("")  # the blank a column the file lacks reads (the row is ours)
        quoted = self.quoted
        values = self._pick(cells)
        # The cells are gathered, checked and trimmed by the interpreter's own loops (a
        # comprehension, map) rather than one at a time: most of an import's reading.
        try:
            texts = list(map(str.strip, values))  # a CSV's cells are all text
            strings = values
        except TypeError:  # a workbook's numbers and blanks
            texts = [
                v.strip()
                if type(v) is str
                else ""
                if v is None
                else str(v)  # a stage's number: as cell_text reads it
                if type(v) is int
                else cell_text(v, quoted)
                for v in values
            ]
            strings = [v for v in values if type(v) is str]
        if strings:
            # The cells' starts and lengths checked in one joined text, not cell by cell:
            # a cell starting with the mark has it after a NUL. A NUL inside a cell can
            # only send the row the careful way, which checks each cell itself.
            joined = "\0".join(strings)
            if quoted:
                if joined[:1] == "'" or "\0'" in joined:
                    raise CAREFUL
            elif joined[:1] in ("\t", "\r") or "\0\t" in joined or "\0\r" in joined:
                raise CAREFUL
            if len(joined) > CELL_LIMIT and max(map(len, strings)) > CELL_LIMIT:
                raise CAREFUL
        (
            reference,
            procedure_text,
            stage_text,
            outcome_text,
            extended_text,
            division,
            service,
            complainant,
            channel,
            advocate,
            themes,
            summary,
        ) = texts
        if not reference:
            raise CAREFUL
        kind = self._kinds.get(
            (procedure_text, stage_text, outcome_text, extended_text, complainant, channel)
        ) or self._kind_of_words(
            procedure_text, stage_text, outcome_text, extended_text, complainant, channel
        )
        if kind is None:
            raise CAREFUL
        # A file's rows share a few hundred days: each cell's day is read once.
        days = self._days
        at_received, at_responded = self._at[3], self._at[4]
        value = cells[at_received] if at_received >= 0 else None
        received = days.get(value)
        if received is None:
            received = fast_date(cells, at_received)
            if received is None:
                raise CAREFUL
            if len(days) < _DAYS_REMEMBERED:
                days[value] = received
        value = cells[at_responded] if at_responded >= 0 else None
        blank = value is None or value == ""  # not a workbook's 0, which fast_date refuses
        responded = None if blank else days.get(value)
        if responded is None and not blank:
            responded = fast_date(cells, at_responded)
            if responded is not None and len(days) < _DAYS_REMEMBERED:
                days[value] = responded
        if responded is not None and responded < received:
            raise CAREFUL
        if reference in self.existing or (
            (reference, kind.procedure, kind.number) in self.existing_stages
        ):
            raise CAREFUL
        return self._built(
            line, reference, kind, received, responded, advocate, division, service, themes, summary
        )

    def _kind_of_words(
        self,
        procedure_text: str,
        stage_text: str,
        outcome_text: str,
        extended_text: str,
        complainant: str,
        channel: str,
    ) -> StageKind | None:
        """The kind of stage these (trimmed) words say, from the translations the careful
        path made of each; None if one of them is not known yet."""
        found = self._stages.get((procedure_text, stage_text))
        if found is None:
            return None
        procedure, number = found
        outcome, duty_category = None, None
        if outcome_text:
            translated = self._outcomes.get((procedure, outcome_text))
            if translated is None:
                return None
            outcome, duty_category = translated
        extended = self._extended.get(extended_text)
        complainant_key = self._keys["complainant"].get(complainant, "")
        channel_key = self._keys["channel"].get(channel, "")
        if extended is None or complainant_key == "" or channel_key == "":
            return None
        kind = stage_kind(
            self.ctx.policy,
            procedure,
            number,
            outcome,
            duty_category,
            extended,
            complainant_key,
            channel_key,
        )
        if len(self._kinds) < _KINDS_REMEMBERED:
            key = (procedure_text, stage_text, outcome_text, extended_text, complainant, channel)
            self._kinds[key] = kind
        return kind

    def _row(
        self,
        line: int,
        reference: str,
        procedure: str,
        number: int,
        received: date,
        responded: date | None,
        outcome: str | None,
        duty_category: str | None,
        extended: bool,
        complainant: str | None,
        channel: str | None,
        advocate: str,
        division: str,
        service: str,
        themes: str,
        summary: str,
    ) -> Row:
        kind = stage_kind(
            self.ctx.policy,
            procedure,
            number,
            outcome,
            duty_category,
            extended,
            complainant,
            channel,
        )
        return self._built(
            line, reference, kind, received, responded, advocate, division, service, themes, summary
        )

    def _built(
        self,
        line: int,
        reference: str,
        kind: StageKind,
        received: date,
        responded: date | None,
        advocate: str,
        division: str,
        service: str,
        themes: str,
        summary: str,
    ) -> Row:
        """The row, its case-wide texts shared with the rows before that had the same."""
        share = self._shared.setdefault
        return built(
            line,
            reference,
            kind,
            received,
            responded,
            share(advocate, advocate),
            share(division, division),
            share(service, service),
            share(themes, themes),
            summary,
        )
