"""Reading the spreadsheet's rows into stage records, checking each cell on the way.

Each problem names the row (as the file numbers it) and the team's own heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from complaints_tui.domain.dates import check_bounds, parse_date
from complaints_tui.domain.records import StageRecord
from complaints_tui.domain.vocab import LGSCO_OUTCOMES, PROCEDURES, STAGED_PROCEDURES

from ..context import Context
from .layout import Layout
from .problems import Problems
from .sources import CELL_LIMIT
from .words import Words

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is written by the export behind a "'" (so a
spreadsheet shows it as text, never runs it); the import takes the "'" off again."""

_EXCEL_EPOCH = date(1899, 12, 30)
_SHORT_UK = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})$")
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_NAMED_FORMATS = ("%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y", "%d %b %y", "%d %B, %Y")


def unquote(text: str) -> str:
    """A CSV cell as it was before the export made it safe: "'=1+2" is "=1+2"."""
    if text[:1] == "'" and text[1:2] in ("'", *FORMULA_START):
        return text[1:]
    return text.strip()


def cell_text(value: Any, quoted: bool = True) -> str:
    """A cell as text: trimmed, and (``quoted``, a CSV) without the export's safety quote.

    A workbook's text cell needs no quote to be safe; one starting with a tab or a carriage
    return is kept as it is, so that an exported summary comes back exactly.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        if quoted:
            return unquote(value)
        return value if value[:1] in ("\t", "\r") and value.strip() else value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell_date(value: Any) -> date:
    """A date cell (a workbook's own date, an Excel serial, or text); ValueError if not."""
    if isinstance(value, datetime):
        return check_bounds(value.date())
    if isinstance(value, date):
        return check_bounds(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= 73415:  # 1900 to 2100 as Excel's day numbers
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(f"'{value}' is not a date")
    text = str(value).strip()
    text = _TIME.sub("", text)  # "20/01/2024 10:30": the day is what counts
    if m := _SHORT_UK.match(text):  # "20/01/24", as Excel shows a short date
        day, month, year = (int(g) for g in m.groups())
        text = f"{day}/{month}/{2000 + year if year < 70 else 1900 + year}"
    try:
        return parse_date(text)
    except ValueError:
        for form in _NAMED_FORMATS:  # "20 Jan 2024", "20-Jan-24"
            try:
                return check_bounds(datetime.strptime(text, form).date(), text)
            except ValueError:
                continue
        raise


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
        self.seen: dict[tuple[str, str, int], int] = {}
        vocab = ctx.policy.vocabularies
        self.outcomes = vocab.keys("outcome")
        self.duty_categories = vocab.keys("duty_category")
        self.known = {name: vocab.keys(name) for name in ("complainant", "channel")}
        self.width = len(layout.headings)
        self.quoted = problems.unit == "line"  # a CSV: cells may carry the export's quote
        self.index = layout.index

    def read(self, line: int, cells: list[Any]) -> Row | None:
        """The row's stage, or None (a blank row, or one with problems: they are added)."""
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
        if key in self.seen:
            bad("stage", f"{label} already appears on {self.problems.unit} {self.seen[key]}")
            return None
        self.seen[key] = line
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
        extended_to = None
        timescale = self.ctx.policy.timescale(procedure, number)
        if extended and timescale is not None:
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
        return Row(
            line,
            reference,
            stage,
            keys["complainant"],
            keys["channel"],
            get("advocate", ""),
            get("division", ""),
            get("service", ""),
            get("themes", ""),
            get("summary", ""),
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
        closest = self.words.closest(column, text)
        return (
            f" (closest: {closest}; a mapping file's [words.{column}] can say which)"
            if closest
            else ""
        )
