"""Reading the spreadsheet's rows into stage records, checking each cell on the way.

Each problem names the row (as the file numbers it) and the team's own heading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from complaints_tui.domain.records import StageRecord
from complaints_tui.domain.vocab import LGSCO_OUTCOMES, PROCEDURES, STAGED_PROCEDURES

from ..context import Context
from .cells import CAREFUL, Careful, cell_date, cell_text, fast_date
from .columns import COLUMNS, DETAIL_COLUMNS
from .details import DetailReader
from .layout import Layout
from .problems import MAX_LISTED, Problems
from .sources import CELL_LIMIT
from .words import Words

_FAST_COLUMNS = COLUMNS
"""The first release's columns, which the fast path reads by position."""


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


class RowReader:
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
        # One copy of each service, division, advocate and themes text: a team has a few
        # hundred, repeated over 100,000 rows (a fifth of the rows' memory otherwise).
        self._shared: dict[str, str] = {}
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

            def bad(column: str, reason: str) -> None:
                self.problems.add(line, self.layout.heading(column), reason)

            row.extra = self.details.read(cells, row.stage, bad)
            if self.problems.count > before:
                return None
        return row

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
            texts = [v.strip() for v in values]  # a CSV's cells are all text
            strings = values
        except AttributeError:  # a workbook's numbers and blanks
            texts = [
                v.strip() if type(v) is str else "" if v is None else cell_text(v, quoted)
                for v in values
            ]
            strings = [v for v in values if type(v) is str]
        if strings:
            starts = {v[:1] for v in strings}
            if ("'" in starts) if quoted else ("\t" in starts or "\r" in starts):
                raise CAREFUL
            if max(map(len, strings)) > CELL_LIMIT:
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
        received = fast_date(cells, self._at[3])
        if received is None:
            raise CAREFUL
        responded = fast_date(cells, self._at[4])
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

    def _read_careful(self, line: int, cells: list[Any]) -> Row | None:
        if not any(c is not None and c != "" for c in cells):
            return None  # a blank line in the spreadsheet
        layout = self.layout
        before = self.problems.count

        def bad(column: str, reason: str) -> None:
            self.problems.add(line, layout.heading(column), reason)

        if len(cells) > self.width and any(c is not None and c != "" for c in cells[self.width :]):
            self.problems.add(line, "row", "more cells than the header has columns")
        raw: dict[str, Any] = {}
        text: dict[str, str] = {}
        for column, at in self.index.items():
            value = cells[at] if at < len(cells) else None
            raw[column] = value
            shown = cell_text(value, self.quoted)
            if len(shown) > CELL_LIMIT:
                bad(
                    column, f"{len(shown):,} characters: longer than a cell can be ({CELL_LIMIT:,})"
                )
                shown = ""
            text[column] = shown
        get = text.get

        def day(column: str, required: bool = False) -> date | None:
            value = raw.get(column)
            if value is None or value == "" or get(column) == "":
                if required:
                    bad(column, "missing (required)")
                return None
            try:
                return cell_date(value)
            except ValueError as exc:
                bad(column, str(exc))
                return None

        reference = get("reference", "")
        if not reference:
            bad("reference", "missing reference")
        procedure, number = self._procedure_and_stage(get("procedure", ""), get("stage", ""), bad)
        received = day("received", required=True)
        responded = day("responded")
        if received and responded and responded < received:
            bad("responded", f"responded {get('responded')} is before received {get('received')}")
        outcome_text = get("outcome", "")
        outcome = self.words.key("outcome", outcome_text) if outcome_text else None
        duty_category = None
        if outcome_text:
            if outcome is None:
                bad(
                    "outcome",
                    f"unknown outcome '{outcome_text}'" + self._closest("outcome", outcome_text),
                )
            elif procedure == "duty" and outcome in self.duty_categories:
                duty_category, outcome = outcome, None
            elif outcome not in self.outcomes:
                bad("outcome", f"unknown outcome '{outcome_text}'")
            elif procedure == "lgsco" and outcome not in LGSCO_OUTCOMES:
                bad("outcome", f"'{outcome}' is not an Ombudsman decision")
            elif procedure not in (None, "lgsco") and outcome in LGSCO_OUTCOMES:
                bad("outcome", f"'{outcome}' is an Ombudsman decision, not for {procedure}")
        extended_text = get("extended", "")
        extended = False
        if extended_text:
            yes_no = self.words.key("extended", extended_text)
            if yes_no is None:
                bad("extended", f"'{extended_text}' is not yes or no")
            extended = yes_no == "yes"
        keys: dict[str, str | None] = {}
        for column in ("complainant", "channel"):
            value = get(column, "")
            keys[column] = self.words.key(column, value) if value else None
            if value and keys[column] not in self.known[column]:
                bad(column, f"unknown {column} '{value}'" + self._closest(column, value))
        if procedure is None or received is None or self.problems.count > before:
            return None
        key = (reference, procedure, number)
        label = f"{reference} {procedure} stage {number}"
        if key in self.existing_stages:
            bad("stage", f"{label} is already in the database")
            return None
        if reference in self.existing:
            bad(
                "reference",
                f"{reference} is already in the database (the import adds new cases; "
                "record further stages in the app)",
            )
            return None
        self._stages[(get("procedure", ""), get("stage", ""))] = (procedure, number)
        if outcome_text:
            self._outcomes[(procedure, outcome_text)] = (outcome, duty_category)
        self._extended[extended_text] = extended
        for column in ("complainant", "channel"):
            self._keys[column][get(column, "")] = keys[column]
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
            keys["complainant"],
            keys["channel"],
            get("advocate", ""),
            get("division", ""),
            get("service", ""),
            get("themes", ""),
            get("summary", ""),
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
        stage = StageRecord(
            procedure=procedure,
            number=number,
            received=received,
            responded=responded,
            outcome=outcome,
            extended_to=extended_to,
            request_date=received if number > 1 else None,
            decision="accepted" if number > 1 else None,
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

    def _procedure_and_stage(
        self, procedure_text: str, stage_text: str, bad: Any
    ) -> tuple[str | None, int]:
        procedure: str | None = None
        number: int | None = None
        if procedure_text:
            found = self.words.procedure_and_stage("procedure", procedure_text)
            if found is None or (found[0] is None and found[1] is None):
                bad(
                    "procedure",
                    f"unknown procedure '{procedure_text}'"
                    + self._closest("procedure", procedure_text),
                )
            else:
                procedure, number = found
        if stage_text:
            if any(ch.isdigit() and not ch.isascii() for ch in stage_text):
                bad("stage", f"stage '{stage_text}' is not written in the digits 0 to 9")
                return procedure, 1
            found = self.words.procedure_and_stage("stage", stage_text)
            if found is None:
                bad("stage", f"stage '{stage_text}' out of range (1 to 3)")
                return procedure, 1
            stage_procedure, stage_number = found
            if stage_procedure and procedure and stage_procedure != procedure:
                bad(
                    "stage",
                    f"'{stage_text}' says {stage_procedure}, but "
                    f"{self.layout.heading('procedure')} says {procedure}",
                )
                return procedure, 1
            procedure = procedure or stage_procedure
            number = stage_number if stage_number is not None else number
        if procedure is None:
            if not procedure_text:
                bad("procedure", "missing (required)")
            return None, 1
        if procedure in STAGED_PROCEDURES:
            if number is None:
                bad("stage", f"missing stage (required for {procedure})")
            elif not 1 <= number <= 3:
                bad("stage", f"stage '{stage_text or number}' out of range (1 to 3)")
            else:
                return procedure, number
            return procedure, 1
        if procedure in PROCEDURES and number not in (None, 1):
            bad(
                "stage",
                f"stage '{stage_text or number}' out of range ({procedure} has a single stage)",
            )
        return procedure, 1

    def _closest(self, column: str, text: str) -> str:
        """A hint for an unknown word: only for a problem that will be listed, and only for
        a word of a few words (spelling distance is slow on a paragraph)."""
        if len(self.problems.listed) >= MAX_LISTED or len(text) > 40:
            return ""
        closest = self.words.closest(column, text)
        if not closest:
            return ""
        return f" (closest: {closest}; a mapping file's [words.{column}] can say which)"
