"""Reading the spreadsheet's rows into stage records, checking each cell on the way."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from complaints_tui.domain.dates import parse_date
from complaints_tui.domain.records import StageRecord
from complaints_tui.domain.vocab import LGSCO_OUTCOMES, PROCEDURES, STAGED_PROCEDURES

from ..context import Context
from .columns import COLUMNS, EXPORT_ONLY, NO, REQUIRED, YES, key
from .problems import Problem


@dataclass
class Row:
    line: int
    reference: str
    stage: StageRecord
    fields: dict[str, str]
    duty_category: str | None = None


def parse_rows(ctx: Context, text: str, problems: list[Problem]) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    if not header:
        problems.append(Problem(1, "header", "the file is empty"))
        return []
    for name in REQUIRED:
        if name not in header:
            problems.append(Problem(1, name, "required column is missing from the header"))
    for name in header:
        if name not in COLUMNS and name not in EXPORT_ONLY:
            problems.append(
                Problem(1, name or "(blank)", f"unknown column (expected: {', '.join(COLUMNS)})")
            )
    if problems:
        return []

    vocab = ctx.policy.vocabularies
    outcomes = vocab.keys("outcome")
    duty_categories = vocab.keys("duty_category")
    known = {name: vocab.keys(name) for name in ("complainant", "channel")}
    rows: list[Row] = []
    for raw in reader:
        line = reader.line_num
        cell = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            problems.append(Problem(line, "row", "more cells than the header has columns"))
        if not any(cell.values()):
            continue  # a blank line in the spreadsheet

        def bad(column: str, reason: str, line: int = line) -> None:
            problems.append(Problem(line, column, reason))

        def day(column: str, required: bool = False, cell: dict[str, str] = cell) -> date | None:
            value = cell.get(column, "")
            if not value:
                if required:
                    bad(column, "missing (required)")
                return None
            try:
                return parse_date(value)
            except ValueError as exc:
                bad(column, str(exc))
                return None

        reference = cell.get("reference", "")
        if not reference:
            bad("reference", "missing reference")
        procedure = key(cell.get("procedure", ""))
        if not procedure:
            bad("procedure", "missing (required)")
        elif procedure not in PROCEDURES:
            bad("procedure", f"unknown procedure '{cell['procedure']}'")
        number = 1
        stage_text = cell.get("stage", "")
        if procedure in STAGED_PROCEDURES:
            if not stage_text:
                bad("stage", f"missing stage (required for {procedure})")
            elif not stage_text.isdigit() or not 1 <= int(stage_text) <= 3:
                bad("stage", f"stage '{stage_text}' out of range (1 to 3)")
            else:
                number = int(stage_text)
        elif procedure in PROCEDURES and stage_text not in ("", "1"):
            bad("stage", f"stage '{stage_text}' out of range ({procedure} has a single stage)")
        received = day("received", required=True)
        responded = day("responded")
        if received and responded and responded < received:
            bad("responded", f"responded {cell['responded']} is before received {cell['received']}")
        outcome = key(cell.get("outcome", "")) or None
        duty_category = None
        if outcome:
            if procedure == "duty" and outcome in duty_categories:
                duty_category, outcome = outcome, None
            elif outcome not in outcomes:
                bad("outcome", f"unknown outcome '{cell['outcome']}'")
            elif procedure == "lgsco" and outcome not in LGSCO_OUTCOMES:
                bad("outcome", f"'{outcome}' is not an Ombudsman decision")
            elif procedure != "lgsco" and outcome in LGSCO_OUTCOMES:
                bad("outcome", f"'{outcome}' is an Ombudsman decision, not for {procedure}")
        extended_text = cell.get("extended", "").lower()
        extended = extended_text in YES
        if extended_text not in YES | NO:
            bad("extended", f"'{cell['extended']}' is not yes or no")
        for column, name in (("complainant", "complainant"), ("channel", "channel")):
            value = key(cell.get(column, ""))
            if value and value not in known[name]:
                bad(column, f"unknown {column} '{cell[column]}'")
        if procedure not in PROCEDURES or received is None:
            continue
        extended_to = None
        timescale = ctx.policy.timescale(procedure, number)
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
        rows.append(Row(line, reference, stage, cell, duty_category))
    return rows
