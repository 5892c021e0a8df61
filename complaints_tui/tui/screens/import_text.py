"""What the Import screen says of a checked file: its status line, its preview's and its
problems' rows (text only; the screen shows them)."""

from __future__ import annotations

from complaints_tui.domain.clocks import fmt
from complaints_tui.domain.vocab import stage_label
from complaints_tui.services.importer import Plan
from complaints_tui.services.importing.problems import Problem, sheet_row
from complaints_tui.services.importing.rows import Row
from complaints_tui.services.importing.summary import sheets_read


def plan_status(plan: Plan) -> str:
    name = plan.path.name + sheets_read(plan.read_sheets)
    if plan.ok:
        kinds = ", ".join(f"{kind} {n:,}" for kind, n in plan.by_stage.items())
        said = (
            f"{name}: {plan.cases:,} case(s) and {plan.stages:,} stage(s) would be created"
            f"{' (' + kinds + ')' if kinds else ''}. Nothing is stored until ctrl+s."
        )
    else:
        more = (
            f" (the first {len(plan.problems)} listed)"
            if plan.problem_count > len(plan.problems)
            else ""
        )
        said = (
            f"{name}: {plan.problem_count:,} problem(s){more}; nothing can be imported "
            "until they are put right. Change a heading or a word above, or correct the file."
        )
    if plan.ok and plan.differing_count:
        said += (
            f" Note: {plan.differing_count:,} value(s) on a later stage's row differ from the "
            "case's first row, whose value is kept (listed below)."
        )
    return said + _unread_note(plan)


def _unread_note(plan: Plan) -> str:
    unread = ", ".join(f"'{name}'" for name in plan.unread_sheets)
    if not unread:
        return ""
    if plan.read_sheets:
        return f" Not read, having no header row of ours: {unread}."
    return f" Not read: the workbook's other sheets {unread} (ctrl+b reads them all together)."


def preview_cells(row: Row, plan: Plan) -> list[str]:
    stage = row.stage
    return [
        row_name(row.line, plan.read_sheets),
        row.reference,
        stage_label(stage.procedure, stage.number),
        fmt(stage.received),
        fmt(stage.responded) if stage.responded else "",
        stage.outcome or row.duty_category or "",
        row.service,
    ]


def problem_rows(plan: Plan) -> list[list[str]]:
    """The problems table: every problem or, for a file without any, the notes on values
    a case's later rows give differently (the first row's is kept)."""
    if plan.problems:
        return [problem_cells(problem) for problem in plan.problems]
    notes = [problem_cells(note, "Note: ") for note in plan.differing]
    if plan.differing_count > len(plan.differing):
        notes.append(["", "", f"... and {plan.differing_count - len(plan.differing):,} more"])
    return notes


def problem_cells(problem: Problem, said: str = "") -> list[str]:
    line = f"{problem.sheet}: {problem.line}" if problem.sheet else str(problem.line or "")
    return [line, problem.column, said + problem.reason]


def row_name(line: int, sheets: list[str]) -> str:
    """A row as the preview names it: '5', or '2024-25: 5' when several sheets are read."""
    sheet, row = sheet_row(line, sheets)
    return f"{sheet}: {row}" if sheet else str(row)
