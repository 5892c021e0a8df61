"""The careful reading of a row: every cell checked, and every problem said, naming the
row (as the file numbers it) and the team's own heading.

``RowReader`` reads a row this way when its fast path cannot vouch for it (a new word, a
blank or odd cell, a repeat); what the careful path learns (each word's translation) lets
the fast path read the rows like it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from complaints_tui.domain.vocab import LGSCO_OUTCOMES, PROCEDURES, STAGED_PROCEDURES

from .cells import cell_date, cell_text
from .layout import Layout
from .problems import MAX_LISTED, Problems
from .sources import CELL_LIMIT
from .words import Words

if TYPE_CHECKING:
    from .rows import Row


class CarefulReading:
    """The careful path of ``RowReader`` (whose attributes these are)."""

    layout: Layout
    words: Words
    problems: Problems
    existing: set[str]
    existing_stages: set[tuple[str, str, int]]
    outcomes: Any
    duty_categories: Any
    known: dict[str, Any]
    width: int
    quoted: bool
    index: dict[str, int]
    _stages: dict[tuple[str, str], tuple[str, int]]
    _outcomes: dict[tuple[str, str], tuple[str | None, str | None]]
    _extended: dict[str, bool]
    _keys: dict[str, dict[str, str | None]]
    _row: Callable[..., Row]

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
