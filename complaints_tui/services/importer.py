"""Import the team's spreadsheet (CSV), all or nothing.

One row per stage; rows sharing a reference are the stages of one case, in any order.
Every problem is reported as ``line N, column: reason``; if there is any, nothing is written.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from complaints_tui.domain.dates import parse_date
from complaints_tui.domain.records import CaseRecord, StageRecord
from complaints_tui.domain.vocab import LGSCO_OUTCOMES, PROCEDURES, STAGED_PROCEDURES
from db import repo
from db.engine import transaction

from .context import Context
from .store import store_records

COLUMNS = (
    "reference",
    "procedure",
    "stage",
    "received",
    "responded",
    "outcome",
    "extended",
    "division",
    "service",
    "complainant",
    "channel",
    "advocate",
    "themes",
    "summary",
)
"""The spreadsheet's columns, in the order the export writes them."""

EXPORT_ONLY = ("due", "status", "working_days_taken", "on_time", "acknowledgement_due")
"""Columns the export adds; the import accepts and ignores them, so an export re-imports."""

REQUIRED = ("reference", "procedure", "received")

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def _key(text: str) -> str:
    """Vocabulary keys as typed in a spreadsheet: 'Partially upheld' is partially_upheld."""
    return text.strip().lower().replace(" ", "_").replace("-", "_")


@dataclass(frozen=True)
class Imported:
    stages: int
    cases: int
    after_today: int
    """Rows dated after today: imported (a file may plan ahead), and reported."""


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.reason}"


class ImportRefused(Exception):
    """The file was refused whole; ``problems`` says why, one per line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing imported")
        self.problems = problems


@dataclass
class _Row:
    line: int
    reference: str
    stage: StageRecord
    fields: dict[str, str]
    duty_category: str | None = None


def _parse_rows(ctx: Context, text: str, problems: list[Problem]) -> list[_Row]:
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
    rows: list[_Row] = []
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
        procedure = _key(cell.get("procedure", ""))
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
        outcome = _key(cell.get("outcome", "")) or None
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
            value = _key(cell.get(column, ""))
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
        rows.append(_Row(line, reference, stage, cell, duty_category))
    return rows


def _group(
    rows: list[_Row],
    problems: list[Problem],
    existing: set[tuple[str, str, int]],
    references: set[str],
) -> list[CaseRecord]:
    by_reference: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        by_reference[row.reference].append(row)
    records = []
    for reference, group in by_reference.items():
        seen: dict[tuple[str, int], int] = {}
        for row in group:
            key = (row.stage.procedure, row.stage.number)
            label = f"{reference} {row.stage.procedure} stage {row.stage.number}"
            if key in seen:
                problems.append(
                    Problem(row.line, "stage", f"{label} already appears on line {seen[key]}")
                )
            elif (reference, *key) in existing:
                problems.append(Problem(row.line, "stage", f"{label} is already in the database"))
            elif reference in references:
                problems.append(
                    Problem(
                        row.line,
                        "reference",
                        f"{reference} is already in the database (the import adds new cases; "
                        "record further stages in the app)",
                    )
                )
            seen.setdefault(key, row.line)
        group.sort(key=lambda r: (r.stage.procedure not in STAGED_PROCEDURES, r.stage.number))
        first = group[0]

        if len(group) == 1:
            pick = first.fields.get
        else:

            def pick(column: str, default: str = "", group: list[_Row] = group) -> str:
                """A case's detail from the first of its stages' rows that gives it."""
                return next((r.fields[column] for r in group if r.fields.get(column)), default)

        advocate = pick("advocate", "")
        themes = tuple(t.strip() for t in pick("themes", "").split(";") if t.strip())
        main = next((r for r in group if r.stage.procedure in STAGED_PROCEDURES), first)
        records.append(
            CaseRecord(
                reference=reference,
                procedure=main.stage.procedure,
                stages=[r.stage for r in sorted(group, key=lambda r: r.stage.received)],
                complainant_type=_key(pick("complainant", "")) or None,
                channel=_key(pick("channel", "")) or None,
                advocate_involved=advocate.lower() not in NO,
                advocate=advocate if advocate.lower() not in NO | YES else None,
                division=pick("division", "") or None,
                service=pick("service", "") or None,
                themes=themes,
                summary=pick("summary", ""),
                duty_category=first.duty_category,
            )
        )
    return records


def import_csv(ctx: Context, path: Path) -> Imported:
    """Import a file, or raise ImportRefused and write nothing."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ImportRefused([Problem(0, "file", f"cannot read {path}: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    problems: list[Problem] = []
    rows = _parse_rows(ctx, text, problems)
    with transaction(ctx.engine) as session:
        records = _group(
            rows, problems, repo.existing_stage_keys(session), repo.existing_references(session)
        )
        if problems:
            problems.sort(key=lambda p: p.line)
            raise ImportRefused(problems)
        store_records(ctx, session, records)
    today = ctx.today()
    after = sum(1 for r in rows if r.stage.received > today or (r.stage.responded or today) > today)
    return Imported(len(rows), len(records), after)
