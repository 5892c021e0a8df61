"""Reading the spreadsheet's rows into stage records, checking each cell on the way.

Each problem names the row (as the file numbers it) and the team's own heading.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from operator import itemgetter
from typing import Any

from complaints_tui.domain.records import StageRecord

from ..context import Context
from .careful import CarefulReading
from .cells import CAREFUL, Careful, cell_text, fast_date
from .columns import COLUMNS, DETAIL_COLUMNS
from .details import DetailReader
from .layout import Layout
from .problems import Problems
from .sources import CELL_LIMIT
from .words import Words

_FAST_COLUMNS = COLUMNS
"""The first release's columns, which the fast path reads by position."""

_STAGE_FIELDS = (
    "procedure",
    "number",
    "received",
    "clock_start",
    "responded",
    "outcome",
    "extended_to",
    "extension_reason",
    "extension_agreed",
    "fixed_due",
    "acknowledged",
    "request_date",
    "decision",
)
"""StageRecord's first fields in order, as ``RowReader._row`` gives them by position."""
if tuple(f.name for f in fields(StageRecord))[: len(_STAGE_FIELDS)] != _STAGE_FIELDS:
    raise ImportError("StageRecord's fields changed: update importing.rows._STAGE_FIELDS")


@dataclass(slots=True)
class Row:
    line: int
    reference: str
    stage: StageRecord
    complainant: str | None
    channel: str | None
    advocate: str
    division: str
    service: str
    themes: str
    summary: str
    duty_category: str | None = None
    extra: dict[str, Any] | None = None
    """The case's details from the detail columns (see ``details``), when the row has any."""


_DAYS_REMEMBERED = 20_000
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
                v.strip() if type(v) is str else "" if v is None else cell_text(v, quoted)
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
        found = self._stages.get((procedure_text, stage_text))
        if found is None:
            raise CAREFUL
        procedure, number = found
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
        outcome, duty_category = None, None
        if outcome_text:
            translated = self._outcomes.get((procedure, outcome_text))
            if translated is None:
                raise CAREFUL
            outcome, duty_category = translated
        extended = self._extended.get(extended_text)
        complainant_key = self._keys["complainant"].get(complainant, "")
        channel_key = self._keys["channel"].get(channel, "")
        if extended is None or complainant_key == "" or channel_key == "":
            raise CAREFUL
        if reference in self.existing or (reference, procedure, number) in self.existing_stages:
            raise CAREFUL
        return self._row(
            line,
            reference,
            procedure,
            number,
            received,
            responded,
            outcome,
            duty_category,
            extended,
            complainant_key,
            channel_key,
            advocate,
            division,
            service,
            themes,
            summary,
        )

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
        extended_to = None
        if extended:
            timescale = self.ctx.policy.timescale(procedure, number)
            if timescale is not None:
                extended_to = timescale.extended
        later = number > 1
        # By position (see _STAGE_FIELDS): keywords took half as long again, for every row.
        stage = StageRecord(
            procedure,
            number,
            received,
            None,  # clock_start
            responded,
            outcome,
            extended_to,
            None,  # extension_reason
            None,  # extension_agreed
            None,  # fixed_due
            None,  # acknowledged
            received if later else None,  # request_date
            "accepted" if later else None,  # decision
        )
        if procedure == "compliment" or (duty_category and duty_category != "pending_information"):
            # Compliments are logged and closed; a duty matter closes when it is triaged.
            stage.closed_on = responded or received
        elif responded is None and outcome is not None:
            # An outcome without a response date (withdrawn, discontinued): the stage ended.
            stage.closed_on = received
            if outcome == "withdrawn":
                stage.decision = "withdrawn"
            elif outcome == "signposted_lgsco" and number > 1:
                stage.decision = "refused"  # a refused request signposts to the Ombudsman
        share = self._shared.setdefault
        return Row(
            line,
            reference,
            stage,
            complainant,
            channel,
            share(advocate, advocate),
            share(division, division),
            share(service, service),
            share(themes, themes),
            summary,
            duty_category,
        )
